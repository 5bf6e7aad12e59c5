"""Diagnoses of 05_rnn_bptt: each likely wrong answer is named, in the visible and the hidden checks.
Also the general addition made for it: a known mistake is recognised in some entries of a dict
of results (a student who overwrites dU but accumulates dW and db)."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.judge import run_cases
from grader.exercise import Case, Exercise, Mistake
from solutions import rnn_bptt as ref

A = "05_rnn_bptt"


# --- the general mechanism: a mistake in some entries of a dict ------------------------------
TOY = Exercise("grads", ("x",), "gradients", cases=None, mistakes=(
    Mistake("halved", "halving everything", lambda ref_, x: {"a": x / 2, "b": x / 2, "c": x / 2}),))


def toy_cases():
    x = np.arange(1.0, 5.0)
    return [(Case("toy", (x,)), {"a": x, "b": x, "c": x})]


def test_a_mistake_in_some_entries_of_a_dict_is_named_for_those_entries():
    with pytest.raises(WrongAnswer) as err:
        run_cases(TOY, lambda x: {"a": x / 2, "b": x, "c": x / 2}, toy_cases(), "hidden",
                  lambda case: {mk.name: mk.output(None, *case.args) for mk in TOY.mistakes})
    message = str(err.value)
    assert 'gradients["a"], gradients["c"] are exactly what you get by halving everything' in message
    assert 'gradients["b"]' not in message


def test_a_mistake_in_every_entry_of_a_dict_is_named_once():
    with pytest.raises(WrongAnswer) as err:
        run_cases(TOY, lambda x: {k: x / 2 for k in "abc"}, toy_cases(), "hidden",
                  lambda case: {mk.name: mk.output(None, *case.args) for mk in TOY.mistakes})
    message = str(err.value)
    assert message.count("exactly what you get") == 1 and "gradients is exactly what you get by halving" in message


def test_an_unrelated_wrong_entry_is_not_attributed_to_the_mistake():
    with pytest.raises(WrongAnswer) as err:
        run_cases(TOY, lambda x: {"a": x + 1, "b": x, "c": x}, toy_cases(), "hidden",
                  lambda case: {mk.name: mk.output(None, *case.args) for mk in TOY.mistakes})
    assert "exactly what you get" not in str(err.value)


# --- wrong answers, written independently of the mistakes' builders ---------------------------
def cell_backward_with(dz_of, dh_prev_of=lambda W, dz: W.T @ dz):
    def cell_backward(dh_next, cache):
        h_next, h_prev, xt, p = cache
        dz = dz_of(dh_next, h_next, h_prev)
        return {"dxt": p["U"].T @ dz, "dh_prev": dh_prev_of(p["W"], dz), "dU": dz @ xt.T, "dW": dz @ h_prev.T,
                "db": dz.sum(axis=1, keepdims=True)}
    return cell_backward


def bptt_with(through_next=True, prev_factor=False, overwrite=(), forward=False, output_path=None):
    """A BPTT loop (for rnn_backward, or rnn_loss_backward when output_path is given) with chosen mistakes."""
    def backward(*args):
        if output_path is None:
            dh, caches = args
        else:
            y_pred, Y, caches = args
        cells, x = caches
        p = cells[0][3]
        if output_path is not None:
            do = (y_pred - Y) / Y.shape[1]
            dh = np.einsum("yh,ymt->hmt", p["V"], do)
        T_x = x.shape[2]
        g = {"dx": np.zeros(x.shape), "dU": np.zeros(p["U"].shape), "dW": np.zeros(p["W"].shape),
             "db": np.zeros(p["b"].shape), "dV": np.zeros(p["V"].shape), "dc": np.zeros(p["c"].shape)}
        carry = np.zeros(cells[0][1].shape)
        for t in (range(T_x) if forward else reversed(range(T_x))):
            h_t, h_prev, xt, _ = cells[t]
            delta = dh[:, :, t] + (carry if through_next else 0)
            dz = delta * (1 - (h_prev if prev_factor else h_t) ** 2)
            g["dx"][:, :, t] = p["U"].T @ dz
            parts = {"dU": dz @ xt.T, "dW": dz @ h_prev.T, "db": dz.sum(axis=1, keepdims=True)}
            if output_path is not None:
                parts["dV"] = do[:, :, t] @ h_t.T
                parts["dc"] = output_path(do[:, :, t], y_pred[:, :, t]).sum(axis=1, keepdims=True)
            for k, v in parts.items():
                g[k] = v if k in overwrite else g[k] + v
            carry = p["W"].T @ dz
        g["dh0"] = carry
        if output_path is None:
            del g["dV"], g["dc"]
        return g
    return backward


PLAIN = lambda do, y: do  # noqa: E731


def output_backward_with(scale=lambda m: 1.0 / m, state=0, steps=None, extra=lambda y: 1.0, dv_div=1):
    """The output path written plainly, with chosen mistakes: do's factor, which cached state dV reads,
    which steps dV and dc keep, an extra factor on do, a further division of dV and dc."""
    def output_backward(y, Y, caches):
        cells, _ = caches
        V = cells[0][3]["V"]
        m, T_x = Y.shape[1], Y.shape[2]
        do = (y - Y) * scale(m) * extra(y)
        kept = range(T_x) if steps is None else [steps(T_x)]
        dV = sum(do[:, :, t] @ cells[t][state].T for t in kept) / (m if dv_div == "m" else 1)
        dc = sum(do[:, :, t].sum(axis=1, keepdims=True) for t in kept) / (m if dv_div == "m" else 1)
        dh = np.stack([V.T @ do[:, :, t] for t in range(T_x)], axis=-1)
        return {"dV": dV, "dc": dc, "dh": dh}
    return output_backward


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, wrong, words", [
    ("rnn_output_backward", output_backward_with(steps=lambda T: T - 1), "keeping one step only"),
    ("rnn_output_backward", output_backward_with(steps=lambda T: 0), "keeping one step only"),
    ("rnn_output_backward", output_backward_with(scale=lambda m: 1.0), "forgetting the 1/m"),
    ("rnn_output_backward", output_backward_with(dv_div="m"), "dividing by m twice"),
    ("rnn_output_backward", output_backward_with(state=1), "using h^{t-1} in dV"),
    ("rnn_output_backward", output_backward_with(extra=lambda y: y * (1 - y)),
     "multiplying by the softmax derivative again"),
    ("rnn_cell_forward", lambda xt, h, p: (np.tanh(p["U"] @ xt + p["W"] @ h + p["b"]),
                                           ref.softmax((p["V"] @ np.tanh(p["U"] @ xt + p["W"] @ h + p["b"]) + p["c"]).T).T,
                                           (np.tanh(p["U"] @ xt + p["W"] @ h + p["b"]), h, xt, p)),
     "taking the softmax over the examples"),
    ("rnn_cell_forward", lambda xt, h, p: ref.rnn_cell_forward(xt, h, {**p, "b": 0 * p["b"]})[:2]
     + ((np.tanh(p["U"] @ xt + p["W"] @ h), h, xt, p),), "forgetting the bias b"),
    ("rnn_cell_forward", lambda xt, h, p: ref.rnn_cell_forward(xt, h, p)[:2]
     + ((h, ref.rnn_cell_forward(xt, h, p)[0], xt, p),), "swapping h_next and h_prev in the cache"),
    ("rnn_cell_backward", cell_backward_with(lambda d, hn, hp: d * (1 - hp ** 2)), "tanh derivative at the wrong step"),
    ("rnn_cell_backward", cell_backward_with(lambda d, hn, hp: d * (1 - np.tanh(hn) ** 2)), "applying tanh twice"),
    ("rnn_cell_backward", cell_backward_with(lambda d, hn, hp: d), "forgetting the tanh derivative"),
    ("rnn_cell_backward", cell_backward_with(lambda d, hn, hp: d * (1 - hn ** 2), lambda W, dz: W @ dz),
     "multiplying by W instead of its transpose"),
    ("rnn_backward", bptt_with(through_next=False), "forgetting the path through h^(t+1)"),
    ("rnn_backward", bptt_with(prev_factor=True), "tanh derivative at the wrong step"),
    ("rnn_backward", bptt_with(overwrite=("dU", "dW", "db")), "overwriting instead of summing over time"),
    ("rnn_backward", bptt_with(overwrite=("dU",)), 'gradients["dU"] is exactly what you get by overwriting'),
    ("rnn_backward", bptt_with(forward=True), "going forward in time"),
    ("compute_cost", lambda y, Y: float(-np.sum(Y * np.log(y)) / Y.shape[1] / Y.shape[2]), "averaging over the time"),
    ("compute_cost", lambda y, Y: float(-np.mean(Y * np.log(y))), "mean of all entries"),
    ("compute_cost", lambda y, Y: float(-np.sum(Y * np.log(y))), "cost is m times too large"),
    ("rnn_loss_backward", bptt_with(output_path=PLAIN, through_next=False), "forgetting the path through h^(t+1)"),
    ("rnn_loss_backward", bptt_with(output_path=PLAIN, prev_factor=True), "tanh derivative at the wrong step"),
    ("rnn_loss_backward", bptt_with(output_path=lambda do, y: do * y * (1 - y)), "multiplying by the softmax derivative again in dc"),
    ("rnn_loss_backward", bptt_with(output_path=PLAIN, overwrite=("dV",)), 'gradients["dV"] is exactly what you get by overwriting'),
    ("rnn_loss_backward", lambda y, Y, caches: {k: v * Y.shape[1] for k, v in ref.rnn_loss_backward(y, Y, caches).items()},
     'gradients["dW"] is m times too large'),
    ("clip_gradients", lambda g, n: {k: np.clip(v, -n, n) for k, v in g.items()}, "np.clip"),
    ("clip_gradients", lambda g, n: {k: v * min(1.0, n / np.linalg.norm(v)) for k, v in g.items()},
     "clipping each array by its own norm"),
    ("clip_gradients", lambda g, n: {k: v * n / np.sqrt(sum(np.sum(u ** 2) for u in g.values())) for k, v in g.items()},
     "rescaling even when the norm is already at most max_norm"),
])
def test_rnn_mistakes_are_named(check, name, wrong, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, name, wrong)
    assert words in str(err.value)


def test_clipping_in_place_is_reported_as_mutation():
    def clip_in_place(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        if norm > max_norm:
            for g in grads.values():
                g *= max_norm / norm
        return grads
    with pytest.raises(WrongAnswer, match="modified its input grads"):
        check_hidden(A, "clip_gradients", clip_in_place)


def test_forward_without_recurrence_is_named():
    def forward(x, h0, p):
        cells = [ref.rnn_cell_forward(x[:, :, t], h0, p) for t in range(x.shape[2])]
        return (np.stack([c[0] for c in cells], -1), np.stack([c[1] for c in cells], -1), ([c[2] for c in cells], x))
    with pytest.raises(WrongAnswer, match="feeding h0 to every step"):
        check_visible(A, "rnn_forward", forward)


@pytest.mark.parametrize("name", ["rnn_cell_forward", "rnn_forward", "compute_cost", "rnn_output_backward",
                                  "rnn_cell_backward", "rnn_backward", "rnn_loss_backward", "clip_gradients"])
def test_reference_passes_visible_and_hidden(name, capsys):
    check_visible(A, name, getattr(ref, name))
    check_hidden(A, name, getattr(ref, name))
    out = capsys.readouterr()
    assert "known-value checks passed" in out.out and "hidden cases passed" in out.out and out.err == ""


def test_a_student_rnn_backward_that_calls_its_own_cell_backward_passes():
    """The usual structure (rnn_backward built on rnn_cell_backward) is accepted."""
    def rnn_backward(dh, caches):
        cells, x = caches
        n_h, m, T_x = dh.shape
        out = {"dx": np.zeros(x.shape), "dU": 0, "dW": 0, "db": 0}
        dh_prevt = np.zeros((n_h, m))
        for t in reversed(range(T_x)):
            g = ref.rnn_cell_backward(dh[:, :, t] + dh_prevt, cells[t])
            out["dx"][:, :, t] = g["dxt"]
            for k in ("dU", "dW", "db"):
                out[k] = out[k] + g[k]
            dh_prevt = g["dh_prev"]
        return {**out, "dh0": dh_prevt}
    check_hidden(A, "rnn_backward", rnn_backward)


def test_a_list_of_alike_caches_is_described_briefly():
    with pytest.raises(WrongAnswer) as err:
        check_hidden(A, "rnn_backward", lambda dh, caches: None)
    inputs = [line for line in str(err.value).splitlines() if "inputs:" in line][0]
    assert "caches=([3 x (array(4, 2), array(4, 2), array(3, 2), {U: array(4, 3)" in inputs and len(inputs) < 300
