"""Support tickets and announcements ('Support Information', 'Site and Service Updates'):
built by the member-communication issue; declare every model in support/privacy.py."""
