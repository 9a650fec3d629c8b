"""Open311 GeoReport v2 (SPEC 11): the hotline's categories as services, and its orders
as service requests, in JSON and XML, for 311-style clients and validators."""
