"""Input fields of the API that take only the JSON type the schema promises.

DRF is lenient: a CharField turns the number 0 into "0", a ChoiceField takes 84 for "84" and a
BooleanField takes "yes" or 1. The OpenAPI schema says "string" or "boolean", and a client that sends
something else has a bug it should hear about, with the field named, rather than data we guessed.
"""

from rest_framework import serializers


class _StringsOnly:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(_StringsOnly, serializers.CharField):
    pass


class EmailField(_StringsOnly, serializers.EmailField):
    pass


class RegexField(_StringsOnly, serializers.RegexField):
    pass


class ChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data
