from collections.abc import Mapping

from rest_framework import serializers

from bestqm.api.errors import READ_ONLY_FIELD, UNKNOWN_FIELD

NOT_A_STRING = "Must be a string."
NOT_A_BOOLEAN = "Must be true or false."
NOT_A_WHOLE_NUMBER = "Must be a whole number."


def _wrong_type(field, value) -> str | None:
    """Why `value`, as JSON gave it, is not of the type the schema states for `field`.

    DRF converts leniently (0 and 1 are booleans, 5 is the string "5"), so the schema and
    the server would disagree: a client sending the wrong type learns nothing, and a typo
    such as `"newsletter_opt_in": 0` looks like a decision. JSON is the API's only input
    format, so each value already has its type."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else NOT_A_BOOLEAN
    if isinstance(field, serializers.IntegerField):
        return None if type(value) is int else NOT_A_WHOLE_NUMBER
    if isinstance(field, serializers.MultipleChoiceField):
        return None
    if isinstance(field, serializers.ChoiceField):
        if all(isinstance(choice, str) for choice in field.choices):
            return None if isinstance(value, str) else NOT_A_STRING
        return None
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else NOT_A_STRING
    return None


class StrictInputMixin:
    """Input serializers refuse fields they do not know, naming each one, instead of
    silently ignoring them (a typo must not look like a successful save), and values of
    another JSON type than the field's (see `_wrong_type`).
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
            wrong = {
                name: [problem]
                for name, field in self.fields.items()
                if name in data and not field.read_only
                for problem in [_wrong_type(field, data[name])]
                if problem
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        elif data is not None:
            raise serializers.ValidationError({"non_field_errors": ["Expected a JSON object."]})
        return super().to_internal_value(data)
