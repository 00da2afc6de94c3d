"""Admin building blocks that every app's admin uses."""


class ReadOnlyInline:
    """An inline of records a page shows and never changes (services write them): no empty
    rows, no adding, changing or deleting. Mix it in before TabularInline or StackedInline;
    who may see the rows (has_view_permission) is the app's to say."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
