"""The base of request bodies: no non-finite numbers (``NaN``, ``Infinity``, ``1e309``) and a
length limit on every string that names none of its own."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

#: the longest string of a request body field without its own ``max_length``
DEFAULT_MAX_STR = 2000


class RequestBody(BaseModel):
    """A JSON request body: finite numbers only, strings of at most :data:`DEFAULT_MAX_STR`."""

    model_config = ConfigDict(allow_inf_nan=False, str_max_length=DEFAULT_MAX_STR)
