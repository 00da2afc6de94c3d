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
    clauses = []
    for clause, lines in parts:
        # A clause whose first line is its heading shows that line as the heading; the
        # statement's hard line-wraps are not kept, its words are, every one.
        heading_only = lines[0] == clause.starts_with
        heading = lines[0] if heading_only else clause.title
        text = " ".join(lines[1:] if heading_only else lines)
        clauses.append((clause, heading, text, _links(clause)))
    return render(request, "privacy/policy.html", {"statement_title": title, "clauses": clauses})
