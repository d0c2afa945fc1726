"""The shared argument checks (nnbook._validate), and the dtypes and overflows they guard."""
import numpy as np
import pytest

from nnbook import (
    CNN,
    MLP,
    batchnorm_forward,
    binary_cross_entropy,
    clip_grad_norm,
    conv2d_forward,
    dropout_forward,
    l2_grad,
    l2_penalty,
    make_moons,
    mse,
    relu,
    rnn_forward,
    sgd_step,
    sigmoid,
    train,
)

BAD_NUMBERS = [True, "0.1", None, float("nan"), float("inf"), -1.0, 1 + 0j]


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda v: sgd_step({"W": np.ones(2)}, {"W": np.ones(2)}, v), "lr"),
        (lambda v: l2_penalty([np.ones(2)], v), "lam"),
        (lambda v: dropout_forward(np.ones(3), v, np.random.default_rng(0)), "p "),
        (lambda v: MLP([2, 3, 2], dropout=v), "dropout"),
        (lambda v: clip_grad_norm({"W": np.ones(2)}, v), "max_norm"),
    ],
)
def test_bad_numbers_raise_value_error_naming_the_argument(call, name, value):
    with pytest.raises(ValueError, match=name):
        call(value)


def test_numpy_scalars_do_not_turn_float32_into_float64():
    W = np.ones((2, 3), np.float32)
    assert l2_grad(W, np.float64(0.1)).dtype == np.float32
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    gamma, beta = np.ones(3, np.float32), np.zeros(3, np.float32)
    running: dict = {}
    out, _ = batchnorm_forward(x, gamma, beta, eps=np.float64(1e-5), running=running,
                               momentum=np.float64(0.9))
    assert out.dtype == np.float32
    assert running["mean"].dtype == running["var"].dtype == np.float32
    out, _ = batchnorm_forward(x, gamma, beta, train=False,
                               running={"mean": np.zeros(3), "var": np.ones(3)})
    assert out.dtype == np.float32


def test_rnn_computes_in_the_widest_dtype_of_its_inputs():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    Wx = rng.standard_normal((3, 5)).astype(np.float32)
    Wh = rng.standard_normal((5, 5)) / 3  # float64
    b = np.zeros(5, np.float32)
    h, _ = rnn_forward(x, np.zeros((2, 5), np.float32), Wx, Wh, b)
    h64, _ = rnn_forward(x.astype(float), np.zeros((2, 5)), Wx.astype(float), Wh, b.astype(float))
    assert h.dtype == np.float64
    np.testing.assert_allclose(h, h64, rtol=1e-6)  # x @ Wx itself is a float32 product


def test_conv2d_on_integer_images_does_not_wrap_around():
    x = np.full((1, 1, 4, 4), 200, dtype=np.uint8)
    w = np.ones((1, 1, 3, 3), dtype=np.uint8)
    out, _ = conv2d_forward(x, w, np.zeros(1, np.uint8))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 1800.0))


def test_bad_target_dtypes_raise_value_error():
    X, y = make_moons(8, seed=0)
    with pytest.raises(ValueError, match="y must be integer class indices"):
        MLP([2, 3, 2]).loss_and_grads(X, y.astype(str))
    with pytest.raises(ValueError, match="y must hold real numbers"):
        MLP([2, 3, 1], loss="mse").loss_and_grads(X, y.astype(complex))
    with pytest.raises(ValueError, match="y must be finite"):
        MLP([2, 3, 1], loss="bce").loss_and_grads(X, np.where(y == 1, np.nan, 0.0))
    with pytest.raises(ValueError, match="y must hold labels 0/1"):
        MLP([2, 3, 1], loss="bce").loss_and_grads(X, 2.0 * y)
    with pytest.raises(ValueError, match="X must hold real numbers"):
        CNN((1, 2, 2), n_classes=2).loss_and_grads(np.ones((1, 4), complex), np.array([0]))
    with pytest.raises(ValueError, match="epochs"):
        train(MLP([2, 3, 2]), X, y, lr=0.1, epochs=True)


def test_clip_grad_norm_of_huge_gradients_does_not_overflow():
    grads = {"Wh": np.array([3e200, 4e200]), "b": np.zeros(3)}
    with np.errstate(all="raise"):
        clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5e200, rel=1e-12)
    np.testing.assert_allclose(clipped["Wh"], [0.6, 0.8], rtol=1e-12)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda bad: sigmoid(bad), "x"),
        (lambda bad: relu(bad), "x"),
        (lambda bad: mse(np.ones(2), bad), "y"),
        (lambda bad: binary_cross_entropy(np.ones(2), bad), "y"),
        (lambda bad: conv2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 1, 1)), bad), "b"),
    ],
)
@pytest.mark.parametrize("bad", [np.array([0.5, 1 + 2j]), np.array(["0.5", "1"])])
def test_complex_or_text_input_raises_value_error_not_a_warning(call, name, bad):
    with pytest.raises(ValueError, match=f"^{name} must"):
        call(bad[:1] if name == "b" else bad)


@pytest.mark.parametrize("bad, message", [
    ([np.nan, 1.0], r"x must be finite, got 1 NaN or infinite entry \(the first at index \(0,\)"),
    ([1.0, np.inf, -np.inf], "x must be finite, got 2 NaN or infinite entries"),
    ([1.0, None], "x must hold real numbers, got NoneType"),
    ([[1.0], [1.0, 2.0]], "x must be an array of real numbers"),
    (["a", "b"], "x must hold real numbers, got dtype <U1"),
])
def test_as_float_rejects_non_finite_and_non_numbers_naming_the_argument(bad, message):
    from nnbook._validate import as_float

    with pytest.raises(ValueError, match=message):
        as_float(bad, "x")
    assert as_float([np.nan], "x", finite=False).shape == (1,) or bad is None


def test_int_labels_is_one_rule():
    from nnbook._validate import int_labels

    np.testing.assert_array_equal(int_labels([0.0, 2.0, 1.0], "y"), [0, 2, 1])
    assert int_labels(np.array([[1], [0]]), "y").shape == (2,)
    for bad, message in (([0.5], "integer class indices"), ([True], "integer class indices"),
                         ([np.nan], "y must be finite"), ([-1], r"in \[0\]"), ([3], r"in \[0, 2\]")):
        with pytest.raises(ValueError, match=message):
            int_labels(bad, "y", k=3 if bad == [3] else None)


def test_conv_output_size_validates():
    from nnbook.conv import conv_output_size

    assert conv_output_size(8, 3, stride=2, padding=1) == 4
    for args, message in (((5, 7), "kernel 7 must fit"), ((8.5, 3), "size must be an integer"),
                          ((8, 3, 0), "stride must be an integer >= 1"),
                          ((8, 3, 1, -1), "padding must be an integer >= 0")):
        with pytest.raises(ValueError, match=message):
            conv_output_size(*args)


def test_batchnorm_refuses_a_single_row_in_training_mode():
    from nnbook.layers import batchnorm_forward

    with pytest.raises(ValueError, match="at least 2 rows in training mode"):
        batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3))
    running = {"mean": np.zeros(3), "var": np.ones(3)}
    out, _ = batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3), train=False, running=running)
    np.testing.assert_allclose(out, np.ones((1, 3)) / np.sqrt(1 + 1e-5))


def test_train_rnn_stops_on_divergence_with_one_warning():
    import warnings

    from nnbook import DivergenceWarning, init_rnn_params, train_rnn

    x = np.random.default_rng(0).standard_normal((4, 5, 1))
    y = np.random.default_rng(1).standard_normal((4, 1))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        params, history = train_rnn(init_rnn_params(1, 4, 1, rho=1.5), x * 1e3, y * 1e3, lr=1e6, epochs=50)
    assert [w.category for w in caught] == [DivergenceWarning]
    assert history["diverged"] and len(history["grad_norm"]) < 50
    assert all(np.isfinite(v).all() for v in params.values())


def test_train_cnn_stops_on_divergence_with_one_warning():
    import warnings

    from nnbook import CNN, DivergenceWarning, train_cnn

    X = np.random.default_rng(0).standard_normal((12, 1, 6, 6))
    y = np.arange(12) % 3
    model = CNN(image_shape=(1, 6, 6), n_filters=2, kernel_size=3, n_classes=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = train_cnn(model, X, y, lr=1e8, epochs=6, batch_size=4)
    assert [w.category for w in caught] == [DivergenceWarning], [str(w.message) for w in caught]
    assert history.diverged and np.isnan(history.loss[-1]) and len(history.loss) == 6
    assert all(np.isfinite(v).all() for v in model.params.values())
    calm = train_cnn(CNN(image_shape=(1, 6, 6), n_filters=2, kernel_size=3, n_classes=3),
                     X, y, lr=0.01, epochs=3, batch_size=4)
    assert not calm.diverged and np.all(np.isfinite(calm.loss))


def test_blas_overflow_in_train_is_divergence_not_a_value_error():
    import warnings

    from nnbook import MLP, DivergenceWarning, train

    X = np.random.default_rng(0).standard_normal((20, 3))
    y = np.arange(20) % 2
    model = MLP([3, 4, 2], seed=0)
    model.params["W1"][...] = 1e200  # finite, but x @ W1 @ W2 overflows inside BLAS
    model.params["W2"][...] = 1e200
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = train(model, X, y, lr=0.1, epochs=2)
    assert history.diverged and [w.category for w in caught] == [DivergenceWarning]
