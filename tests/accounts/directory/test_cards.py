"""The directory's cards are made in Python: the same markup as the template loop over
accounts/_public_fields.html they replace, escaping included."""

import re
from datetime import date

import pytest
from django.template import engines

from accounts.profile.selectors import public_view
from accounts.templatetags.public_profile import directory_cards
from tests.accounts.factories import ProfileFactory

TEMPLATE_LOOP = """{% for shown in rows %}
<li class="card">
  <h3><a href="{% url 'directory:detail' shown.username %}">{{ shown.username }}</a></h3>
  {% include "accounts/_public_fields.html" %}
</li>
{% endfor %}"""


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.django_db
def test_the_cards_are_the_markup_of_the_template_loop():
    everyone = ("everyone",)
    rows = [
        public_view(ProfileFactory(username="bare_only", city=""), ()),
        public_view(
            ProfileFactory(
                username="full_fields",
                gender="female",
                gender_visibility="everyone",
                birth_date=date(1990, 5, 1),
                age_visibility="everyone",
                country="NO",
                city='<script>alert("x")</script> & Tromsø',
                region="Troms",
                location_visibility="everyone",
                lifestyle_text="Fjords <b>and</b> boats",
                lifestyle_visibility="everyone",
            ),
            everyone,
        ),
    ]
    expected = engines["django"].from_string(TEMPLATE_LOOP).render({"rows": rows})
    made = directory_cards(rows)
    assert _squeezed(made) == _squeezed(expected)
    assert "<script>" not in made and "&lt;script&gt;" in made
    assert 'data-field="country">Norway<' in made
