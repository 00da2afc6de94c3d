"""Browser pages of the activity app."""

app_name = "activity"
urlpatterns: list = []
