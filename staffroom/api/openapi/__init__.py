"""Staffroom's description of its own client API (OpenAPI 3.1), served at
``/api/openapi.json``: the entities its serializers produce (:mod:`.entities`), the
operations its routes answer (:mod:`.operations`), joined by :mod:`.document`."""
