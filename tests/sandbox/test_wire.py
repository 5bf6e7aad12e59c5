"""grader.sandbox.wire: the plain-data format between the trusted grader and the sandbox; what student code
writes can at worst be refused, never run."""
import json
import struct

import numpy as np
import pytest

from grader.sandbox import wire


def test_pack_unpack_round_trip():
    value = {"A2": np.arange(6.0).reshape(2, 3), "m": np.bool_(True), "t": (1, 2.5, "relu", None),
             "l": [np.float64(0.5), np.int32(3)], "mask": np.array([[True, False]])}
    back, end = wire.unpack(wire.pack(value))
    assert set(back) == set(value) and back["t"] == value["t"] and type(back["l"][0]) is np.float64
    assert np.array_equal(back["A2"], value["A2"]) and back["mask"].dtype == bool


def test_foreign_objects_travel_as_type_names_only():
    class Sneaky:
        def __eq__(self, other):
            return True
    back, _ = wire.unpack(wire.pack({"x": Sneaky(), "o": np.array([Sneaky()], dtype=object)}))
    assert type(back["x"]).__name__ == "Sneaky" and not (back["x"] == 1)
    assert back["o"].dtype == object and back["o"][0] is None


def _forge(header, data=b""):
    raw = json.dumps(header).encode()
    return struct.pack(">Q", len(raw)) + raw + data


@pytest.mark.parametrize("header,data", [
    ({"v": {"__array__": 0}, "a": [["|O", [1], 8]]}, b"\0" * 8),             # object dtype (pickle)
    ({"v": {"__array__": 0}, "a": [["<f8", [10**6], 8 * 10**6]]}, b"\0" * 8),  # truncated
    ({"v": {"__array__": 0}, "a": [["<f8", [2], 8]]}, b"\0" * 8),             # size mismatch
    ({"v": {"__array__": 1}, "a": []}, b""),                                  # dangling reference
    ({"v": {"__reduce__": "os.system"}, "a": []}, b""),                       # unknown tag
    ({"v": {"__array__": 0}, "a": [["[('a', '<f8')]", [1], 8]]}, b"\0" * 8),  # structured dtype
])
def test_unpack_rejects_forged_records(header, data):
    with pytest.raises(wire.ProtocolError):
        wire.unpack(_forge(header, data))



def test_named_public_functions_travel_by_name_only():
    from grader import gradcheck
    packed = wire.pack((np.tanh, gradcheck.numeric_gradient, np.sum))
    inside, _ = wire.unpack(packed, resolve=True)
    assert inside == (np.tanh, gradcheck.numeric_gradient, np.sum)
    outside, _ = wire.unpack(packed)  # the trusted side never imports on request
    assert all(isinstance(f, wire.Foreign) for f in outside)
    local = wire.unpack(wire.pack(lambda x: x))[0]
    assert isinstance(local, wire.Foreign), "closures (which could hold reference code) are not sent"

