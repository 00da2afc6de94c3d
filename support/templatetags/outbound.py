"""`{% outbound_link url text %}`: the only way templates link to another site. The link
goes through the notice page (support.outbound.links) and carries rel="noopener
noreferrer", so the other site learns nothing of the page the member came from."""

from django import template
from django.utils.html import format_html

from support.outbound.links import host_of, is_outbound_url, outbound_path

register = template.Library()


@register.simple_tag
def outbound_link(url, text=""):
    if not is_outbound_url(url):
        return text or ""  # not a web address: shown as text, never as a link
    return format_html(
        '<a href="{}" rel="noopener noreferrer">{}</a>', outbound_path(url), text or host_of(url)
    )
