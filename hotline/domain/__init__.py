"""The hotline's rules as plain Python: no Django, no database, no clock of its own.

Everything here is a pure function of its arguments so that it can be tested in
milliseconds and reused by live work, history import and replay alike.
"""
