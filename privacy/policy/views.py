"""The privacy policy page: the statement clause by clause, each linked to where a member
exercises it."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from privacy.policy.clauses import CLAUSES


def _links(clause):
    links = []
    for label, name in clause.links:
        try:
            links.append((label, reverse(name)))
        except NoReverseMatch:
            continue  # a page that this installation does not offer
    return links


def policy(request):
    clauses = [(clause, _links(clause)) for clause in CLAUSES]
    return render(request, "privacy/policy.html", {"clauses": clauses})
