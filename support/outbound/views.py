from django.shortcuts import render
from django.views.decorators.cache import never_cache

from support.outbound.links import host_of, outbound_target


@never_cache
def leaving(request):
    """The notice shown before anyone leaves for another site ('Links'). It only ever
    links to an address one of our pages linked to (signed); anything else is a 400."""
    target = outbound_target(request.GET.get("to", ""))
    if target is None:
        return render(request, "support/bad_link.html", status=400)
    return render(request, "support/leaving.html", {"target": target, "host": host_of(target)})
