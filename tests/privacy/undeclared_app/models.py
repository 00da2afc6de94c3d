from django.db import models


class PetRecord(models.Model):
    """A model whose personal field nobody declared: `manage.py check` must refuse it."""

    nickname = models.CharField(max_length=50)
