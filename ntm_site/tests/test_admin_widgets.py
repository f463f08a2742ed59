"""The widgets written in Python (ntm_site.admin_widgets) give a browser exactly what Django's templates give."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm_site.admin_widgets import DirectCheckboxInput, DirectHiddenInput, DirectSelect, DirectTextInput

ATTRS = {"size": 10, "data-target": 'a "quoted" <b>&', "aria-label": _("Giá trị chỉ tiêu"), "required": True}


def both(direct, stock, name, value, attrs=None):
    return direct.render(name, value, attrs=attrs), stock.render(name, value, attrs=attrs)


def test_text_hidden_and_checkbox_inputs_are_the_same_markup():
    for value in (None, "", "85,5%", 'x <"> &', 12):
        assert len(set(both(DirectTextInput(ATTRS), forms.TextInput(ATTRS), "f-0-value", value))) == 1
        assert len(set(both(DirectHiddenInput(), forms.HiddenInput(), "f-0-id", value, {"id": "id_f-0-id"}))) == 1
    for value in (True, False, None, "on"):
        direct, stock = both(DirectCheckboxInput(), forms.CheckboxInput(), "f-0-na", value, {"id": "x", "off": False})
        assert direct == stock


def test_select_is_the_same_markup_with_its_choice_and_groups():
    choices = [("", "—"), ("dat", _("Đạt")), ("chua_dat", 'Chưa "đạt" <b>')]
    grouped = [("Nhóm <1>", [("1", "Một"), ("2", "Hai")]), ("3", "Ba")]
    for options in (choices, grouped):
        for value in ("", "dat", "2", None):
            direct = DirectSelect(attrs={"data-type": "bool"}, choices=options)
            stock = forms.Select(attrs={"data-type": "bool"}, choices=options)
            assert len(set(both(direct, stock, "f-3-status", value, {"id": "id_f-3-status"}))) == 1
