"""Every write the product makes to an order: one function per use case, one
transaction each, the event appended by ``recording.record``."""
