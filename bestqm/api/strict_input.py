from collections.abc import Mapping

from rest_framework import serializers

from bestqm.api.errors import READ_ONLY_FIELD, UNKNOWN_FIELD


class StrictInputMixin:
    """Input serializers refuse fields they do not know, naming each one, instead of
    silently ignoring them (a typo must not look like a successful save).
    `read_only_names` lists fields the caller may see but not change here."""

    read_only_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [READ_ONLY_FIELD if name in self.read_only_names else UNKNOWN_FIELD]
                        for name in unknown
                    }
                )
        elif data is not None:
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]})
        return super().to_internal_value(data)
