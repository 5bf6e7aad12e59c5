"""04_pool_backward: each likely wrong answer gets a message that names its cause, in the visible
checks (known values) and in the hidden tests; a correct loop version passes both."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.exercises.pool_backward import check_gradient_total

A = "04_pool_backward"


def first_max_mask(x):
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


def student_forward(ignore_stride=False, swap=False):
    """A student's loop version of pool_forward, possibly with a mistake."""
    def pool_forward(A_prev, hparameters, mode="max"):
        f, s = hparameters["f"], hparameters["stride"]
        m, n_H_prev, n_W_prev, n_C = A_prev.shape
        A_out = np.zeros((m, (n_H_prev - f) // s + 1, (n_W_prev - f) // s + 1, n_C))
        use_max = (mode == "max") != swap
        for i, h, w, c in np.ndindex(A_out.shape):
            top, left = (h, w) if ignore_stride else (h * s, w * s)
            window = A_prev[i, top:top + f, left:left + f, c]
            A_out[i, h, w, c] = np.max(window) if use_max else np.mean(window)
        return A_out, (A_prev, hparameters)
    return pool_forward


def student_backward(ignore_stride=False, copy=False, overwrite=False, all_ties=False, swap=False,
                     chatty=False):
    """A student's loop version of pool_backward, possibly with a mistake."""
    def pool_backward(dA, cache, mode="max"):
        A_prev, hparameters = cache
        f, s = hparameters["f"], hparameters["stride"]
        dA_prev = np.zeros_like(A_prev)
        use_max = (mode == "max") != swap
        for i, h, w, c in np.ndindex(dA.shape):
            top, left = (h, w) if ignore_stride else (h * s, w * s)
            if use_max:
                window = A_prev[i, top:top + f, left:left + f, c]
                mask = window == np.max(window) if all_ties else first_max_mask(window)
                share = mask * dA[i, h, w, c]
            else:
                share = np.full((f, f), dA[i, h, w, c] / (1 if copy else f * f))
            if chatty:
                print(share)  # the notes' debug output: harmless to the grade
            if overwrite:
                dA_prev[i, top:top + f, left:left + f, c] = share
            else:
                dA_prev[i, top:top + f, left:left + f, c] += share
        return dA_prev
    return pool_backward


CORRECT = [("pool_forward", student_forward()), ("create_mask_from_window", first_max_mask),
           ("distribute_value", lambda dz, shape: np.full(shape, dz / (shape[0] * shape[1]))),
           ("pool_backward", student_backward()), ("pool_backward", student_backward(chatty=True))]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn", CORRECT, ids=[f"{n}{k}" for k, (n, _) in enumerate(CORRECT)])
def test_a_correct_loop_version_passes(check, name, fn):
    check(A, name, fn)


def test_a_correct_backward_preserves_the_total():
    for mode in ("average", "max"):
        check_gradient_total(student_backward(), mode)


WRONG = [
    ("pool_forward", student_forward(ignore_stride=True), "A is exactly what you get by ignoring the stride", True),
    ("pool_forward", student_forward(swap=True), "A is exactly what you get by using the wrong mode", True),
    ("create_mask_from_window", lambda x: x == np.max(x), "mask is exactly what you get by marking every tied maximum", True),
    ("create_mask_from_window", lambda x: first_max_mask(x[::-1, ::-1])[::-1, ::-1], "marking the last maximum", True),
    ("create_mask_from_window", lambda x: first_max_mask(x).astype(float), "should be a boolean array", True),
    ("distribute_value", lambda dz, shape: np.full(shape, float(dz)), "without dividing by f_H * f_W", True),
    ("distribute_value", lambda dz, shape: np.full(shape, dz / shape[0]), "dividing by one side of the window only", True),
    ("pool_backward", student_backward(copy=True), "without dividing by f * f", True),
    ("pool_backward", student_backward(overwrite=True), "overwriting instead of accumulating", True),
    ("pool_backward", student_backward(all_ties=True), "marking every tied maximum", True),
    ("pool_backward", student_backward(swap=True), "using the other mode's rule", True),
    ("pool_backward", student_backward(ignore_stride=True), "dA_prev is exactly what you get by ignoring the stride", True),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn, words, visible", WRONG, ids=[w[2][-40:] for w in WRONG])
def test_each_mistake_is_named(check, name, fn, words, visible):
    if check is check_visible and not visible:
        check(A, name, fn)  # passes the known values: that is why the hidden tests cover stride > 1
        return
    with pytest.raises(WrongAnswer) as err:
        check(A, name, fn)
    assert words in str(err.value), str(err.value)


@pytest.mark.parametrize("kw, words", [({"copy": True}, "divide by f * f"), ({"overwrite": True}, "(+=)")])
def test_the_total_check_names_the_cause(kw, words):
    with pytest.raises(WrongAnswer) as err:
        check_gradient_total(student_backward(**kw), "average")
    assert "does not preserve the gradient's total" in str(err.value) and words in str(err.value)


def test_mutating_the_cache_is_detected():
    def mutating(dA, cache, mode="max"):
        out = student_backward()(dA, cache, mode)
        cache[0][...] = 0.0
        return out
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "pool_backward", mutating)
    assert "modified its input cache[0]" in str(err.value)


def test_the_total_check_explains_a_missing_return():
    with pytest.raises(WrongAnswer) as err:
        check_gradient_total(lambda dA, cache, mode="max": None, "average")
    assert "should return a numpy array of shape" in str(err.value) and "NoneType" in str(err.value)


def student_chain(no_g_prime=False, copy=False, times_g=False, at_a=False, ignore_stride=False, swap=False):
    """A student's pool_activation_backward (own loops, own g'), possibly with a mistake."""
    derivatives = {"relu": lambda z: (z > 0) * 1.0, "sigmoid": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
                   "tanh": lambda z: 1 / np.cosh(z) ** 2}
    functions = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
    backward = student_backward(copy=copy, ignore_stride=ignore_stride, swap=swap)

    def pool_activation_backward(dA, cache, Z_prev, activation, mode="max"):
        up = backward(dA, cache, mode)
        if no_g_prime:
            return up
        if times_g:
            return up * functions[activation](Z_prev)
        return up * derivatives[activation](cache[0] if at_a else Z_prev)
    return pool_activation_backward


@pytest.mark.parametrize("check", [check_visible, check_hidden])
def test_a_correct_chain_passes(check):
    check(A, "pool_activation_backward", student_chain())


CHAIN_WRONG = [
    ({"no_g_prime": True}, "stopping after the pooling layer"),
    ({"copy": True}, "upsampling without the 1 / f^2 of average pooling"),
    ({"times_g": True}, "multiplying by the activation g(Z_prev) = A_prev instead of its derivative"),
    ({"at_a": True}, "evaluating g' at the activation A_prev"),
    ({"ignore_stride": True}, "upsampling while ignoring the stride"),
    ({"swap": True}, "upsampling with the other mode's rule"),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("kw, words", CHAIN_WRONG, ids=[w for _, w in CHAIN_WRONG])
def test_each_chain_mistake_is_named(check, kw, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, "pool_activation_backward", student_chain(**kw))
    assert "dZ_prev is exactly what you get by " + words in str(err.value), str(err.value)


def test_a_wrong_pool_backward_costs_the_chain_nothing_where_the_reference_is_available():
    # The chain calls the notebook's pool_backward; while the chain is graded it is the reference's.
    wrong = student_backward(copy=True)
    namespace = {"np": np, "pool_backward": wrong}
    exec("def pool_activation_backward(dA, cache, Z_prev, activation, mode='max'):\n"
         "    g_prime = {'relu': (Z_prev > 0) * 1.0, 'sigmoid': np.exp(-Z_prev) / (1 + np.exp(-Z_prev)) ** 2,\n"
         "               'tanh': 1 - np.tanh(Z_prev) ** 2}[activation]\n"
         "    return pool_backward(dA, cache, mode) * g_prime\n", namespace)
    check_hidden(A, "pool_activation_backward", namespace["pool_activation_backward"])
    assert namespace["pool_backward"] is wrong  # the student's own function is back afterwards


def test_a_wrong_mask_costs_the_total_check_of_pool_backward_nothing():
    """A real answer: pool_backward right, its mask helper wrong (mask = np.max(x)). At grading the helper is the
    reference's in every check of pool_backward, the total check included."""
    import numpy as np
    scope = {"np": np}
    exec("def create_mask_from_window(x):\n    return np.max(x)\n", scope)  # noqa: S102
    exec(  # noqa: S102
        "def pool_backward(dA, cache, mode='max'):\n"
        "    A_prev, hp = cache\n    f, s = hp['f'], hp['stride']\n    dA_prev = np.zeros(A_prev.shape)\n"
        "    m, n_H, n_W, n_C = dA.shape\n"
        "    for i in range(m):\n        for h in range(n_H):\n            for w in range(n_W):\n"
        "                for c in range(n_C):\n"
        "                    window = A_prev[i, h * s:h * s + f, w * s:w * s + f, c]\n"
        "                    if mode == 'max':\n"
        "                        dA_prev[i, h * s:h * s + f, w * s:w * s + f, c] += "
        "create_mask_from_window(window) * dA[i, h, w, c]\n"
        "                    else:\n"
        "                        dA_prev[i, h * s:h * s + f, w * s:w * s + f, c] += dA[i, h, w, c] / (f * f)\n"
        "    return dA_prev\n", scope)
    from grader import WrongAnswer
    from grader.exercises.pool_backward.checks import check_gradient_total_without_rule
    with pytest.raises(WrongAnswer, match="does not preserve the gradient's total"):
        # with the student's own mask: what it used to do
        check_gradient_total_without_rule(scope["pool_backward"], "max")
    check_gradient_total(scope["pool_backward"], "max")
    assert scope["create_mask_from_window"].__name__ == "create_mask_from_window"  # put back afterwards
