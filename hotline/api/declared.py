"""Serializers whose fields are built once per thread instead of once per use.

For every instance, DRF deep-copies each declared field (re-running its constructor
with deep-copied arguments), nested serializers included: a fifth of the CPU of a
registration through the API. A field keeps no state of the request it serves apart
from its parent (the serializer it is bound to, through which it finds the context),
so the fields of a class are built and bound once per thread and handed to each new
instance by pointing their parent at it.

One condition follows: an instance of such a class is used before the next one of the
same class is made in the same thread (as the views do: make, validate or render,
drop). It holds for a ``many=True`` list, whose items share one child instance."""

import threading

from django.utils.functional import cached_property

_built = threading.local()


class DeclaredOnce:
    @cached_property
    def fields(self):
        by_class = _built.__dict__.setdefault("fields", {})
        fields = by_class.get(type(self))
        if fields is None:
            fields = by_class[type(self)] = super().fields
        fields.serializer = self
        for field in fields.values():
            field.parent = self
        return fields
