"""The form renderer: Django's, with its field, select, input and label templates made in
Python.

Django renders every widget through templates, a select through one more template per
option: the 250-country select alone was about 500 template renders, most of the time
of the profile page and of the directory's filter form (bench/pages.py); then the field
template around each widget (label, help text, errors) was a fifth of the profile page.
These are made here instead, to the very same HTML (tests/bestqm/test_form_renderer.py
compares them with Django's templates). A project template overriding one of them
would be ignored, so none may exist (that test checks that too); any other template
goes to Django's renderer unchanged.
"""

import html

from django.forms.renderers import DjangoTemplates

_WIDGETS = "django/forms/widgets/"
SELECT = f"{_WIDGETS}select.html"
OPTION = f"{_WIDGETS}select_option.html"
_INPUT_NAMES = ("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden")
_INPUT_NAMES += ("number", "password", "search", "tel", "text", "time", "url")
INPUTS = frozenset(f"{_WIDGETS}{name}.html" for name in _INPUT_NAMES)
LABEL = "django/forms/label.html"
FIELD = "django/forms/field.html"
MADE_HERE = INPUTS | {SELECT, OPTION, LABEL, FIELD}


def conditional_escape(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper, which was
    half the time of a 250-option select: the same text for every value."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


class WidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == LABEL and isinstance(context, dict):
            return self._label(context)
        if template_name == FIELD and isinstance(context, dict) and "field" in context:
            return self._field(context["field"])
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is None or template_name not in MADE_HERE:
            return super().render(template_name, context, request)
        if template_name == SELECT:
            options = (o for _, group, _ in widget["optgroups"] for o in group)
            if any(o["template_name"] != OPTION for o in options):
                return super().render(template_name, context, request)
            return self._select(widget)
        if template_name == OPTION:
            return _option(widget).removesuffix("\n")  # stripped, as the renderer does
        value = widget["value"]
        shown = "" if value is None else f' value="{conditional_escape(value)}"'
        return (
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
        )

    @staticmethod
    def _field(field) -> str:
        """field.html: the label (or a fieldset and its legend), help text, errors, widget;
        stripped, as the renderer strips a template's output."""
        fieldset = field.use_fieldset
        if fieldset:
            described = field.aria_describedby
            described = f' aria-describedby="{conditional_escape(described)}"' if described else ""
            head = f"<fieldset{described}>\n  {field.legend_tag() if field.label else ''}"
        else:
            head = str(field.label_tag()) if field.label else ""
        help_text = ""
        if field.help_text:
            auto_id = field.auto_id
            shown_id = f' id="{conditional_escape(auto_id)}_helptext"' if auto_id else ""
            help_text = f'<div class="helptext"{shown_id}>{field.help_text}</div>'
        errors = conditional_escape(str(field.errors))
        widget = conditional_escape(str(field))
        end = "</fieldset>" if fieldset else ""
        return f"\n  {head}\n\n{help_text}\n{errors}\n{widget}{end}\n".strip()

    @staticmethod
    def _label(context) -> str:
        label = conditional_escape(context["label"])
        if not context["use_tag"]:
            return label
        tag = conditional_escape(context["tag"])
        # attrs is None for a label without a `for` (a group of radio buttons).
        return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>"

    def _select(self, widget) -> str:
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(f"\n  {_option(option)}")  # its newline kept: it is included
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the renderer strips the template's last newline
        return "".join(parts)
