def site_url(request) -> str:
    """'scheme://host' the request came in on (the host checked against ALLOWED_HOSTS):
    where links in e-mails sent about it later point."""
    return f"{request.scheme}://{request.get_host()}"
