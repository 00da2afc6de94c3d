"""Page views and client sessions partitioned by month on PostgreSQL (activity.partitions);
SQLite keeps plain tables. The models do not change: Django sees the same columns."""

from django.db import migrations

from activity.partitions import partition_tables


class Migration(migrations.Migration):
    # The rows are copied into the partitioned table in one transaction.
    atomic = True

    dependencies = [("activity", "0001_page_views_client_sessions_daily_figures")]

    operations = [
        # Reversing leaves the tables partitioned: the models work the same on either.
        migrations.RunPython(partition_tables, migrations.RunPython.noop, elidable=False),
    ]
