"""The 05_rnn_bptt references agree with the definition, with finite differences and with PyTorch."""
import numpy as np
import pytest

from grader.exercises.rnn_bptt import SIZES, clip_cases, network
from grader.gradcheck import numeric_gradient, relative_error
from solutions import rnn_bptt as ref

IDS = [row[-1] for row in SIZES]


def sizes_of(row):
    return row[:-1]


def loops_forward(x, h0, p):
    """The definition, one example and one step at a time (independent of the reference's matrix products)."""
    n_x, m, T_x = x.shape
    n_h, n_y = p["W"].shape[0], p["V"].shape[0]
    h, y = np.zeros((n_h, m, T_x)), np.zeros((n_y, m, T_x))
    for i in range(m):
        state = h0[:, i].copy()
        for t in range(T_x):
            z = [sum(p["U"][j, k] * x[k, i, t] for k in range(n_x)) + sum(p["W"][j, k] * state[k] for k in range(n_h))
                 + p["b"][j, 0] for j in range(n_h)]
            state = np.array([np.tanh(v) for v in z])
            o = [sum(p["V"][k, j] * state[j] for j in range(n_h)) + p["c"][k, 0] for k in range(n_y)]
            e = [np.exp(v) for v in o]
            h[:, i, t], y[:, i, t] = state, [v / sum(e) for v in e]
    return h, y


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_forward_matches_the_definition(row):
    x, h0, p, Y = network(np.random.default_rng(0), *sizes_of(row))
    h, y_pred, (cells, x_cached) = ref.rnn_forward(x, h0, p)
    h_def, y_def = loops_forward(x, h0, p)
    np.testing.assert_allclose(h, h_def, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y_pred, y_def, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y_pred.sum(axis=0), 1.0, rtol=1e-12)
    assert x_cached is x and len(cells) == x.shape[2]
    for t, (h_next, h_prev, xt, params) in enumerate(cells):
        np.testing.assert_array_equal(h_next, h[:, :, t])
        np.testing.assert_array_equal(h_prev, h0 if t == 0 else h[:, :, t - 1])
        np.testing.assert_array_equal(xt, x[:, :, t])
        assert params is p
    # the cell alone gives the first step
    h1, y1, cache = ref.rnn_cell_forward(x[:, :, 0], h0, p)
    np.testing.assert_array_equal(h1, h[:, :, 0])
    np.testing.assert_array_equal(y1, y_pred[:, :, 0])
    assert cache[1] is h0 and cache[3] is p


def test_softmax_is_stable_and_normalised_per_column():
    o = np.array([[1000.0, -3.0], [999.0, -3.0], [0.0, -3.0]])
    s = ref.softmax(o)
    np.testing.assert_allclose(s.sum(axis=0), 1.0)
    np.testing.assert_allclose(s[:, 1], 1 / 3)
    np.testing.assert_allclose(s[0, 0] / s[1, 0], np.e)


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_cell_backward_matches_finite_differences(row):
    rng = np.random.default_rng(1)
    x, h0, p, _ = network(rng, *sizes_of(row))
    xt = x[:, :, 0]
    G = rng.standard_normal(h0.shape)  # cost sum(G * h_next) has dh_next = G

    def cost():
        return float(np.sum(G * ref.rnn_cell_forward(xt, h0, p)[0]))

    grads = ref.rnn_cell_backward(G, ref.rnn_cell_forward(xt, h0, p)[2])
    assert list(grads) == ["dxt", "dh_prev", "dU", "dW", "db"]
    for name, var in (("dxt", xt), ("dh_prev", h0), ("dU", p["U"]), ("dW", p["W"]), ("db", p["b"])):
        assert grads[name].shape == var.shape, name
        assert relative_error(grads[name], numeric_gradient(cost, var)) < 1e-7, f"{name} ({row[-1]})"


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_backward_matches_finite_differences(row):
    rng = np.random.default_rng(2)
    x, h0, p, _ = network(rng, *sizes_of(row))
    h, _, caches = ref.rnn_forward(x, h0, p)
    G = rng.standard_normal(h.shape)  # cost sum(G * h): dh[:, :, t] = G[:, :, t] reaches every h_t

    def cost():
        return float(np.sum(G * ref.rnn_forward(x, h0, p)[0]))

    grads = ref.rnn_backward(G, caches)
    assert list(grads) == ["dx", "dh0", "dU", "dW", "db"]
    for name, var in (("dx", x), ("dh0", h0), ("dU", p["U"]), ("dW", p["W"]), ("db", p["b"])):
        assert grads[name].shape == var.shape, name
        assert relative_error(grads[name], numeric_gradient(cost, var)) < 1e-7, f"{name} ({row[-1]})"


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_loss_and_full_bptt_match_finite_differences(row):
    rng = np.random.default_rng(3)
    x, h0, p, Y = network(rng, *sizes_of(row))
    _, y_pred, caches = ref.rnn_forward(x, h0, p)
    m = x.shape[1]
    expected_cost = -sum(np.log(y_pred[np.argmax(Y[:, i, t]), i, t]) for i in range(m) for t in range(x.shape[2])) / m
    assert isinstance(ref.compute_cost(y_pred, Y), float)
    np.testing.assert_allclose(ref.compute_cost(y_pred, Y), expected_cost, rtol=1e-12)

    def cost():
        return ref.compute_cost(ref.rnn_forward(x, h0, p)[1], Y)

    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    assert sorted(grads) == sorted(["dU", "dW", "db", "dV", "dc", "dx", "dh0"])
    for name, var in (("dU", p["U"]), ("dW", p["W"]), ("db", p["b"]), ("dV", p["V"]), ("dc", p["c"]),
                      ("dx", x), ("dh0", h0)):
        assert grads[name].shape == var.shape, name
        assert relative_error(grads[name], numeric_gradient(cost, var)) < 1e-7, f"{name} ({row[-1]})"


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_output_path_matches_finite_differences(row):
    """dV and dc of the cost, and dh: the gradient of the cost with respect to each h^t through its own output
    (the cost computed from the states h, each perturbed alone)."""
    rng = np.random.default_rng(5)
    x, h0, p, Y = network(rng, *sizes_of(row))
    h, y_pred, caches = ref.rnn_forward(x, h0, p)

    def cost_of_parameters():
        return ref.compute_cost(ref.rnn_forward(x, h0, p)[1], Y)

    def cost_of_states():
        o = np.einsum("yh,hmt->ymt", p["V"], h) + p["c"][:, :, None]
        return ref.compute_cost(ref.softmax(o), Y)

    grads = ref.rnn_output_backward(y_pred, Y, caches)
    assert list(grads) == ["dV", "dc", "dh"]
    for name, var, cost in (("dV", p["V"], cost_of_parameters), ("dc", p["c"], cost_of_parameters),
                            ("dh", h, cost_of_states)):
        assert grads[name].shape == var.shape, name
        assert relative_error(grads[name], numeric_gradient(cost, var)) < 1e-7, f"{name} ({row[-1]})"
    full = ref.rnn_loss_backward(y_pred, Y, caches)
    inner = ref.rnn_backward(grads["dh"], caches)
    for name in ("dV", "dc"):
        np.testing.assert_allclose(grads[name], full[name], rtol=1e-12, atol=1e-14)
    for name in inner:
        np.testing.assert_allclose(inner[name], full[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_full_bptt_is_rnn_backward_of_the_output_gradient(row):
    """rnn_loss_backward = rnn_backward with dh[:, :, t] = V^T (yhat^t - y^t) / m, plus dV and dc."""
    rng = np.random.default_rng(4)
    x, h0, p, Y = network(rng, *sizes_of(row))
    h, y_pred, caches = ref.rnn_forward(x, h0, p)
    m = x.shape[1]
    do = (y_pred - Y) / m
    dh = np.einsum("yh,ymt->hmt", p["V"], do)
    inner = ref.rnn_backward(dh, caches)
    full = ref.rnn_loss_backward(y_pred, Y, caches)
    for name in inner:
        np.testing.assert_allclose(full[name], inner[name], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(full["dV"], np.einsum("ymt,hmt->yh", do, h), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(full["dc"], do.sum(axis=(1, 2))[:, None], rtol=1e-12, atol=1e-14)


def test_backward_chains_cell_backward():
    """rnn_backward is the chain of rnn_cell_backward with delta_t = dh_t + dh_prev of step t + 1."""
    rng = np.random.default_rng(6)
    x, h0, p, _ = network(rng, 3, 4, 2, 3, 5, 0.8, True)
    h, _, caches = ref.rnn_forward(x, h0, p)
    dh = rng.standard_normal(h.shape)
    carry, total = np.zeros_like(h0), {k: 0.0 for k in ("dU", "dW", "db")}
    for t in reversed(range(x.shape[2])):
        g = ref.rnn_cell_backward(dh[:, :, t] + carry, caches[0][t])
        carry = g["dh_prev"]
        total = {k: total[k] + g[k] for k in total}
    grads = ref.rnn_backward(dh, caches)
    np.testing.assert_allclose(grads["dh0"], carry, rtol=1e-12)
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-12)


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_references_leave_their_inputs_alone(row):
    rng = np.random.default_rng(7)
    x, h0, p, Y = network(rng, *sizes_of(row))
    saved = {k: v.copy() for k, v in p.items()}
    x0, h00 = x.copy(), h0.copy()
    h, y_pred, caches = ref.rnn_forward(x, h0, p)
    dh = rng.standard_normal(h.shape)
    dh_saved, y_saved = dh.copy(), y_pred.copy()
    ref.rnn_backward(dh, caches)
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    grads_saved = {k: v.copy() for k, v in grads.items()}
    ref.clip_gradients(grads, 1e-3)
    for k in p:
        np.testing.assert_array_equal(p[k], saved[k])
    for k in grads:
        np.testing.assert_array_equal(grads[k], grads_saved[k])
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(h0, h00)
    np.testing.assert_array_equal(dh, dh_saved)
    np.testing.assert_array_equal(y_pred, y_saved)


def test_clip_gradients():
    rng = np.random.default_rng(8)
    grads = {"dW": rng.standard_normal((3, 3)), "db": rng.standard_normal((3, 1))}
    norm = np.sqrt(np.sum(grads["dW"] ** 2) + np.sum(grads["db"] ** 2))
    clipped = ref.clip_gradients(grads, norm / 4)
    assert set(clipped) == set(grads)
    new_norm = np.sqrt(sum(np.sum(g ** 2) for g in clipped.values()))
    np.testing.assert_allclose(new_norm, norm / 4, rtol=1e-12)
    for k in grads:  # same direction: one common factor
        np.testing.assert_allclose(clipped[k], grads[k] / 4, rtol=1e-12)
    same = ref.clip_gradients(grads, 2 * norm)
    for k in grads:
        np.testing.assert_array_equal(same[k], grads[k])
        assert same[k] is not grads[k]
    zero = ref.clip_gradients({"dW": np.zeros((2, 2))}, 1.0)
    np.testing.assert_array_equal(zero["dW"], 0.0)
    # the hidden cases really are below, at and above the threshold as their labels say
    for case in clip_cases(ref, np.random.default_rng(0)):
        g, max_norm = case.args
        n = np.sqrt(sum(np.sum(v ** 2) for v in g.values()))
        if "nothing changes" in case.label:
            assert n <= max_norm * (1 + 1e-12)
        else:
            assert n > max_norm
        if "every entry below" in case.label:
            assert max(np.abs(v).max() for v in g.values()) < max_norm


def _torch_rnn(torch, x, h0, p, Y):
    """The same RNN written with torch operations; autograd gives the reference gradients."""
    leaves = {k: torch.tensor(v, requires_grad=True) for k, v in
              {"x": x, "h0": h0, "U": p["U"], "W": p["W"], "b": p["b"], "V": p["V"], "c": p["c"]}.items()}
    h_prev, hs, loss = leaves["h0"], [], 0.0
    m = x.shape[1]
    for t in range(x.shape[2]):
        h_t = torch.tanh(leaves["U"] @ leaves["x"][:, :, t] + leaves["W"] @ h_prev + leaves["b"])
        o_t = leaves["V"] @ h_t + leaves["c"]
        loss = loss - torch.sum(torch.tensor(Y[:, :, t]) * torch.log_softmax(o_t, dim=0)) / m
        hs.append(h_t)
        h_prev = h_t
    return leaves, torch.stack(hs, dim=-1), loss


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_full_bptt_matches_torch(row):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(11)
    x, h0, p, Y = network(rng, *sizes_of(row))
    h, y_pred, caches = ref.rnn_forward(x, h0, p)
    leaves, h_torch, loss = _torch_rnn(torch, x, h0, p, Y)
    np.testing.assert_allclose(h, h_torch.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ref.compute_cost(y_pred, Y), loss.item(), rtol=1e-10)
    loss.backward()
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    for name, leaf in (("dU", "U"), ("dW", "W"), ("db", "b"), ("dV", "V"), ("dc", "c"), ("dx", "x"), ("dh0", "h0")):
        np.testing.assert_allclose(grads[name], leaves[leaf].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_rnn_backward_matches_torch(row):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    x, h0, p, Y = network(rng, *sizes_of(row))
    h, _, caches = ref.rnn_forward(x, h0, p)
    dh = rng.standard_normal(h.shape)
    leaves, h_torch, _ = _torch_rnn(torch, x, h0, p, Y)
    h_torch.backward(torch.tensor(dh))
    grads = ref.rnn_backward(dh, caches)
    for name, leaf in (("dU", "U"), ("dW", "W"), ("db", "b"), ("dx", "x"), ("dh0", "h0")):
        np.testing.assert_allclose(grads[name], leaves[leaf].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def test_clip_matches_torch():
    torch = pytest.importorskip("torch")
    for case in clip_cases(ref, np.random.default_rng(3)):
        grads, max_norm = case.args
        tensors = [torch.tensor(g.copy()) for g in grads.values()]
        for t in tensors:
            t.grad = t.clone()
        torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        clipped = ref.clip_gradients(grads, max_norm)
        for (name, _), t in zip(grads.items(), tensors):
            # torch scales by max_norm / (norm + 1e-6): equal up to that epsilon
            np.testing.assert_allclose(clipped[name], t.grad.numpy(), rtol=1e-5, atol=1e-12, err_msg=case.label)


@pytest.mark.parametrize("row", SIZES, ids=IDS)
def test_output_path_matches_torch(row):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(13)
    x, h0, p, Y = network(rng, *sizes_of(row))
    h, y_pred, caches = ref.rnn_forward(x, h0, p)
    states = torch.tensor(h, requires_grad=True)   # the states as leaves: only the output path reaches them
    V, c = torch.tensor(p["V"], requires_grad=True), torch.tensor(p["c"], requires_grad=True)
    o = torch.einsum("yh,hmt->ymt", V, states) + c[:, :, None]
    loss = -torch.sum(torch.tensor(Y) * torch.log_softmax(o, dim=0)) / x.shape[1]
    loss.backward()
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    for name, leaf in (("dV", V), ("dc", c), ("dh", states)):
        np.testing.assert_allclose(grads[name], leaf.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)
