"""What an admin autocomplete answered, as the options a clerk can pick (groups opened up)."""

import json


def options(response) -> list[dict]:
    """The {"id", "text"} options in order; results listed under a heading (units under their edition) are
    Select2 groups {"text": heading, "children": [...]}."""
    results = json.loads(response.content)["results"]
    return [option for result in results for option in result.get("children", [result])]


def headings(response) -> list[str]:
    return [result["text"] for result in json.loads(response.content)["results"] if "children" in result]
