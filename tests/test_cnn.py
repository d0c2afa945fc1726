"""The small CNN of chapter 6: exact gradients, shapes, validation, determinism, and that it
learns the digits."""
import numpy as np
import pytest

from nnbook import load_digits, numerical_gradient, rel_error, train_test_split
from nnbook.cnn import CNN, train_cnn
from nnbook.conv import conv2d_forward, maxpool_forward
from nnbook.losses import cross_entropy


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    model = CNN(image_shape=(2, 6, 4), n_filters=3, kernel_size=3, n_classes=4, seed=seed)
    X = rng.normal(size=(5, 2, 6, 4))
    y = rng.integers(0, 4, size=5)
    return model, X, y


@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_loss_and_grads_match_central_differences(l2):
    model, X, y = small_problem()
    loss, grads = model.loss_and_grads(X, y, l2=l2)
    assert set(grads) == set(model.params)
    for name, value in model.params.items():
        assert grads[name].shape == value.shape
        numeric = numerical_gradient(lambda _: model.loss_and_grads(X, y, l2=l2)[0], value)
        assert rel_error(grads[name], numeric) < 1e-7, name


def test_forward_is_the_composition_of_the_layers():
    model, X, y = small_problem(1)
    p = model.params
    z, _ = conv2d_forward(X, p["W1"], p["b1"], padding=1)
    pooled, _ = maxpool_forward(np.maximum(z, 0))
    logits = pooled.reshape(len(X), -1) @ p["W2"] + p["b2"]
    probs = model.forward(X)
    assert probs.shape == (5, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), np.argmax(logits, axis=1))
    loss, _ = model.loss_and_grads(X, y)
    assert loss == pytest.approx(cross_entropy(logits, y))
    assert model.feature_maps(X).shape == (5, 3, 6, 4)
    assert np.all(model.feature_maps(X) >= 0)


def test_flat_rows_are_reshaped_to_images():
    model, X, y = small_problem(2)
    np.testing.assert_allclose(model.forward(X.reshape(5, -1)), model.forward(X))


def test_float32_stays_float32():
    model = CNN(dtype=np.float32)
    X = np.random.default_rng(0).random((4, 64))
    _, grads = model.loss_and_grads(X, np.arange(4))
    assert all(g.dtype == np.float32 for g in grads.values())


@pytest.mark.parametrize("kwargs, words", [
    ({"image_shape": (1, 7, 8)}, "even"),
    ({"image_shape": (8, 8)}, "image_shape"),
    ({"kernel_size": 4}, "odd"),
    ({"n_filters": 0}, "n_filters"),
    ({"n_classes": 1}, "n_classes"),
    ({"dtype": np.int64}, "dtype"),
])
def test_bad_construction_raises(kwargs, words):
    with pytest.raises(ValueError, match=words):
        CNN(**kwargs)


def test_bad_inputs_raise():
    model, X, y = small_problem()
    with pytest.raises(ValueError, match="X must have shape"):
        model.forward(X[:, :1])
    with pytest.raises(ValueError, match="y must be"):
        model.loss_and_grads(X, y + 4)
    with pytest.raises(ValueError, match="l2"):
        model.loss_and_grads(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="lr"):
        train_cnn(model, X, y, lr=-0.1, epochs=1)
    with pytest.raises(ValueError, match="momentum"):
        train_cnn(model, X, y, lr=0.1, epochs=1, momentum=1.0)
    with pytest.raises(ValueError, match="together"):
        train_cnn(model, X, y, lr=0.1, epochs=1, X_val=X)


def test_training_is_deterministic_and_lowers_the_loss():
    model_a, X, y = small_problem(3)
    model_b, _, _ = small_problem(3)
    loss_before = model_a.loss_and_grads(X, y)[0]
    ha = train_cnn(model_a, X, y, lr=0.1, epochs=20, batch_size=2, momentum=0.5, seed=4)
    hb = train_cnn(model_b, X, y, lr=0.1, epochs=20, batch_size=2, momentum=0.5, seed=4)
    assert ha.loss == hb.loss
    assert ha.grad_norms.shape == (20, 2)
    assert ha.loss[-1] < loss_before
    assert np.isnan(ha.val_loss).all()


def test_learns_the_digits():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.25, seed=0)
    mean = X_train.mean()
    model = CNN(n_filters=8, seed=0, dtype=np.float32)
    history = train_cnn(model, X_train - mean, y_train, lr=0.02, epochs=8, batch_size=32,
                        momentum=0.9, seed=0, X_val=X_test - mean, y_val=y_test)
    assert history.val_accuracy[-1] > 0.9
    assert history.loss[-1] < history.loss[0]
