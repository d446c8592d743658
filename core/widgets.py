"""A select list written in Python: the same HTML as Django's `Select`, without three templates per option.

Django renders a `<select>` through its form renderer: `select.html`, then for every option an `{% include %}` of
`select_option.html` and of `attrs.html`. On the inbox, whose filter form has ten select lists, that was some 10 ms
of a search page's time at national scale (`benchmarks/scale.py`, profiled: 27 ms of 63 for the form's widgets).
`QuickSelect` takes the widget's context from Django as it is (`get_context`: the options, which is selected,
the attributes) and only writes it out itself, byte for byte what the templates write
(tests/core/test_widgets.py compares the two on every select list of the inbox's form and on odd values).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` alone for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class QuickSelect(forms.Select):
    """`forms.Select` with the templates' output written in Python."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(format_html('\n  <option value="{}"', str(option["value"])))
                parts.append(_attrs(option["attrs"]))
                parts.append(format_html(">{}</option>\n", option["label"]))  # the include keeps its newline
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
