"""Chapter 1's statements about layouts, checked: the book's rows convention ``z = xW + b``
and how PyTorch's ``nn.Linear`` relates to it (batch in rows, stored ``weight`` = ``W.T``).

Book: chapter 1, A layer is a matrix product.
"""
import numpy as np
import pytest

from nnbook import dense_forward


def test_column_convention_is_the_transpose():
    rng = np.random.default_rng(0)
    x, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    z, _ = dense_forward(x, W, b)
    # one sample as a column: z = W' x + b with W' = W.T of shape (d_l, d_{l-1})
    for k in range(5):
        np.testing.assert_allclose(W.T @ x[k] + b, z[k], rtol=1e-12)


def test_torch_linear_stores_the_transpose_and_takes_rows():
    torch = pytest.importorskip("torch")
    d_in, d_out = 3, 4
    linear = torch.nn.Linear(d_in, d_out).double()
    # PyTorch stores weight with shape (d_out, d_in): this book's W transposed
    assert tuple(linear.weight.shape) == (d_out, d_in)
    assert tuple(linear.bias.shape) == (d_out,)
    x = np.random.default_rng(1).normal(size=(5, d_in))          # a batch in rows
    with torch.no_grad():
        out = linear(torch.from_numpy(x)).numpy()
    W = linear.weight.detach().numpy().T                         # (d_in, d_out), W[i, j] = w_ij
    z, _ = dense_forward(x, W, linear.bias.detach().numpy())
    np.testing.assert_allclose(out, z, rtol=1e-12, atol=1e-12)
    # using weight itself as W (without the transpose) does not even fit the shapes
    with pytest.raises(ValueError):
        dense_forward(x, linear.weight.detach().numpy(), linear.bias.detach().numpy())
