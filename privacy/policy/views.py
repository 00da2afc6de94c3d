"""The privacy policy page: the statement verbatim, clause by clause, each followed by how
BestQM keeps it and links to where a member exercises it."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from privacy.policy.clauses import statement_clauses


def _links(clause):
    links = []
    for label, target in clause.links:
        try:
            links.append((label, target() if callable(target) else reverse(target)))
        except NoReverseMatch:
            continue  # a page that this installation does not offer
    return links


def policy(request):
    title, parts = statement_clauses()
    clauses = [(clause, lines, _links(clause)) for clause, lines in parts]
    return render(request, "privacy/policy.html", {"statement_title": title, "clauses": clauses})
