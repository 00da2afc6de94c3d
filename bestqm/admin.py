"""Admin building blocks that every app's admin uses."""


class ReadOnlyAdmin:
    """Records the admin shows and never changes (services write them): no adding, no
    changing, no deleting, superusers included. Mix it in before ModelAdmin or an inline;
    who may see the records (has_view_permission) is the app's to say."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdmin):
    """A read-only inline (before TabularInline or StackedInline), with no empty rows."""

    extra = 0
    can_delete = False
