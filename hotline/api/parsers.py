"""The API's JSON parser, refusing a body nested too deep before parsing it."""

import io

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from hotline.security.json_depth import DEPTH_MAX, nests_deeper_than

TOO_DEEP = f"JSON 嵌套层数过多（最多 {DEPTH_MAX} 层）"


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if nests_deeper_than(raw):
            raise ParseError(TOO_DEEP, code="too_deep")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
