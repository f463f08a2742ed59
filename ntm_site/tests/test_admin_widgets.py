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


def test_an_inlines_plain_widgets_render_as_djangos_templates_do():
    # direct_widgets swaps the class of each plain widget of an inline's forms: the page must not change a byte.
    from django.contrib.admin import widgets as admin_widgets

    from ntm_site.admin_widgets import direct_widgets

    choices = [("", "---------"), (1, "Xã <Kỳ> Anh"), (2, 'Hội nghị "giao ban"')]
    cases = [
        (forms.TextInput(ATTRS), 'x <"> &'),
        (forms.NumberInput({"min": 0}), 12),
        (forms.EmailInput(), "a@b.vn"),
        (forms.HiddenInput(), 7),
        (forms.CheckboxInput(), True),
        (forms.CheckboxInput(), False),
        (forms.Select(choices=choices), 2),
        (forms.SelectMultiple(choices=choices[1:]), [1, 2]),
        (admin_widgets.AdminTextInputWidget(), "Nguyễn Văn A"),
        (admin_widgets.AdminIntegerFieldWidget(), 3),
        (admin_widgets.AdminBigIntegerFieldWidget(), 10**12),
        (admin_widgets.AdminEmailInputWidget(), None),
    ]
    for widget, value in cases:
        stock = widget.render("minutes-0-f", value, attrs={"id": "id_minutes-0-f"})
        field = forms.Field(widget=widget)
        direct_widgets({"f": field})
        assert type(field.widget).__name__.startswith("Direct"), type(widget)
        assert field.widget.render("minutes-0-f", value, attrs={"id": "id_minutes-0-f"}) == stock, type(widget)


def test_widgets_with_their_own_markup_are_left_alone():
    from django.contrib.admin import widgets as admin_widgets

    from ntm_site.admin_widgets import direct_widgets

    for widget in (forms.Textarea(), admin_widgets.AdminDateWidget(), admin_widgets.AdminURLFieldWidget()):
        field = forms.Field(widget=widget)
        direct_widgets({"f": field})
        assert type(field.widget) is type(widget)
