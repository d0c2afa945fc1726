"""The book's formula index: one row per formula, the single source of truth.

Each row names the formula as the book writes it (LaTeX), the chapter page and section that
derive it, the package function that computes it, and the test that checks it. The book's
"Formula index" page is rendered from :data:`FORMULAS` by the build (``_ext/nnbook_reference.py``),
and ``tests/test_formula_index.py`` fails when a public function of a formula module has no
row (and no entry in :data:`NOT_FORMULAS` saying why), when a row names a function or a test
that does not exist, or when a section is missing from the chapter.

Book: Reference, Formula index.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["Formula", "FORMULAS", "NOT_FORMULAS", "FORMULA_MODULES"]


class Formula(NamedTuple):
    latex: str      #: the formula as the book writes it
    function: str   #: dotted name of the function that computes it
    doc: str        #: the chapter page (a ``_toc.yml`` file entry)
    section: str    #: the title of the section that derives it
    test: str       #: ``tests/test_x.py::test_name`` that checks it


_A, _B, _O, _V = ("book/02_activations", "book/03_backpropagation", "book/04_overfitting",
                  "book/05_vanishing_gradients")
_S, _C, _R = "book/01_structure", "book/06_cnn", "book/07_rnn"
_OPT, _AD, _AT = "book/08_optimization", "book/09_autodiff", "book/11_attention"
_LS = "book/10_lstm"

FORMULAS: list[Formula] = [
    # chapter 1
    Formula(r"z = xW + b", "nnbook.layers.dense_forward", _S, "A layer is a matrix product",
            "tests/test_layers.py::test_dense_forward_hand_example"),
    Formula(r"\operatorname{softmax}(z)_c = e^{z_c} / \textstyle\sum_{c'} e^{z_{c'}}",
            "nnbook.losses.softmax", _B, "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_softmax_is_a_distribution_even_for_huge_logits"),
    Formula(r"\log\operatorname{softmax}(z)_c = z_c - \log\textstyle\sum_{c'} e^{z_{c'}}",
            "nnbook.losses.log_softmax", _B, "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_softmax_shift_invariance"),
    # chapter 2
    Formula(r"\sigma(z) = 1/(1 + e^{-z})", "nnbook.activations.sigmoid", _A, "The sigmoid",
            "tests/test_activations.py::test_known_values"),
    Formula(r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))", "nnbook.activations.sigmoid_grad", _A,
            "The sigmoid", "tests/test_activations.py::test_grad_matches_numerical"),
    Formula(r"\tanh(z) = (e^{z} - e^{-z})/(e^{z} + e^{-z})", "nnbook.activations.tanh", _A,
            "The hyperbolic tangent", "tests/test_activations.py::test_sigmoid_symmetry_and_tanh_relation"),
    Formula(r"\tanh'(z) = 1 - \tanh^2(z)", "nnbook.activations.tanh_grad", _A,
            "The hyperbolic tangent", "tests/test_activations.py::test_grad_matches_numerical"),
    Formula(r"\mathrm{ReLU}(z) = \max(0, z)", "nnbook.activations.relu", _A,
            "The rectified linear unit", "tests/test_activations.py::test_known_values"),
    Formula(r"\mathrm{ReLU}'(z) = \mathbb{1}[z > 0]", "nnbook.activations.relu_grad", _A,
            "The rectified linear unit", "tests/test_activations.py::test_relu_grad_at_zero_is_zero"),
    Formula(r"\phi(z) = z", "nnbook.activations.linear", _A,
            "Without a non-linearity, depth buys nothing", "tests/test_activations.py::test_known_values"),
    Formula(r"\phi'(z) = 1", "nnbook.activations.linear_grad", _A,
            "Without a non-linearity, depth buys nothing",
            "tests/test_activations.py::test_grad_matches_numerical"),
    # chapter 3
    Formula(r"J = \tfrac{1}{n d}\textstyle\sum_{k,j} (y_{kj} - \hat y_{kj})^2", "nnbook.losses.mse", _B,
            "Measuring the error: the loss $J(\\theta)$", "tests/test_losses.py::test_mse_hand_example"),
    Formula(r"\partial J/\partial \hat y = \tfrac{2}{n d}(\hat y - y)", "nnbook.losses.mse_grad", _B,
            "Measuring the error: the loss $J(\\theta)$", "tests/test_losses.py::test_mse_grad_numerical"),
    Formula(r"J = -\tfrac{1}{n}\textstyle\sum_k \log \operatorname{softmax}(z_k)_{y_k}",
            "nnbook.losses.cross_entropy", _B, "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_cross_entropy_matches_naive_formula"),
    Formula(r"\partial J/\partial z = \tfrac{1}{n}(\operatorname{softmax}(z) - \mathrm{onehot}(y))",
            "nnbook.losses.cross_entropy_grad", _B, "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_cross_entropy_grad_numerical"),
    Formula(r"(J, \partial J/\partial z)\ \text{in one pass}", "nnbook.losses.cross_entropy_with_grad", _B,
            "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_cross_entropy_with_grad_agrees_with_the_formula_versions"),
    Formula(r"J = -\tfrac{1}{n}\textstyle\sum_k [y_k \log\sigma(z_k) + (1-y_k)\log(1-\sigma(z_k))]",
            "nnbook.losses.binary_cross_entropy", _B, "Measuring the error: the loss $J(\\theta)$",
            "tests/test_losses.py::test_bce_known_values_and_naive_formula"),
    Formula(r"\partial J/\partial z = \tfrac{1}{n}(\sigma(z) - y)", "nnbook.losses.binary_cross_entropy_grad",
            _B, "Measuring the error: the loss $J(\\theta)$", "tests/test_losses.py::test_bce_grad_numerical_both_shapes"),
    Formula(r"\partial J/\partial x = \delta W^{\top},\ \partial J/\partial W = x^{\top}\delta,\ "
            r"\partial J/\partial b = \textstyle\sum_k \delta_k", "nnbook.layers.dense_backward", _B,
            "One layer, in matrix form", "tests/test_layers.py::test_dense_backward_numerical"),
    Formula(r"\frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}",
            "nnbook.gradcheck.numerical_gradient", _B, "The chain rule on one neuron",
            "tests/test_gradcheck.py::test_central_difference_is_second_order"),
    Formula(r"\frac{\lVert a - b\rVert}{\max(\lVert a\rVert, \lVert b\rVert)}", "nnbook.gradcheck.rel_error", _B,
            "The chain rule on one neuron", "tests/test_gradcheck.py::test_rel_error_values"),
    Formula(r"w \leftarrow w - \eta\,\nabla J(w)", "nnbook.optim.sgd_step", _B, "Gradient descent",
            "tests/test_optim.py::test_sgd_step_hand_example_in_place"),
    # chapter 4
    Formula(r"J_{\text{reg}} = J + \lambda \textstyle\sum_j \theta_j^2", "nnbook.layers.l2_penalty", _O,
            "L2 regularization", "tests/test_layers.py::test_l2_penalty_hand_example"),
    Formula(r"\partial(\lambda\textstyle\sum \theta^2)/\partial W = 2\lambda W", "nnbook.layers.l2_grad", _O,
            "L2 regularization", "tests/test_layers.py::test_l2_grad_numerical"),
    Formula(r"\tilde a = a \odot r / (1 - p),\ r_j \sim \mathrm{Bernoulli}(1 - p)",
            "nnbook.layers.dropout_forward", _O, "Dropout",
            "tests/test_layers.py::test_inverted_dropout_keeps_the_expectation"),
    Formula(r"\partial J/\partial a = \partial J/\partial \tilde a \odot r / (1 - p)",
            "nnbook.layers.dropout_backward", _O, "Dropout",
            "tests/test_layers.py::test_dropout_backward_numerical_with_fixed_mask"),
    # chapter 5
    Formula(r"\hat z = (z - \mu_B)/\sqrt{\sigma_B^2 + \epsilon},\ y = \gamma \hat z + \beta",
            "nnbook.layers.batchnorm_forward", _V, "Batch normalization",
            "tests/test_layers.py::test_batchnorm_train_normalizes_each_column"),
    Formula(r"\partial J/\partial z = \tfrac{\gamma}{n\sqrt{\sigma_B^2+\epsilon}}\big(n\,g - \textstyle\sum_k g_k"
            r" - \hat z \textstyle\sum_k g_k \hat z_k\big)", "nnbook.layers.batchnorm_backward", _V,
            "The backward pass, derived", "tests/test_layers.py::test_batchnorm_backward_numerical_train"),
    # chapter 6
    Formula(r"(f * g)(t) = \int f(\tau)\, g(t - \tau)\, d\tau", "nnbook.conv.convolve_integral", _C,
            "The convolution integral", "tests/test_conv.py::test_riemann_sum_of_gaussians_is_a_gaussian"),
    Formula(r"(f * g)[m] = \textstyle\sum_k f[k]\, g[m - k]", "nnbook.conv.convolve", _C,
            "The discrete convolution", "tests/test_conv.py::test_convolve_agrees_with_numpy"),
    Formula(r"\lfloor (H + 2P - K)/S \rfloor + 1", "nnbook.conv.conv_output_size", _C,
            "Channels, stride, padding and the output size",
            "tests/test_conv.py::test_conv2d_output_size_formula"),
    Formula(r"y[f, u, v] = \textstyle\sum_{c, a, b} x[c, uS + a, vS + b]\, w[f, c, a, b] + b_f",
            "nnbook.conv.conv2d_forward", _C, "What deep-learning \"convolution\" computes: cross-correlation",
            "tests/test_conv.py::test_conv2d_matches_loop_reference"),
    Formula(r"\partial J/\partial x,\ \partial J/\partial w,\ \partial J/\partial b\ \text{of a convolution}",
            "nnbook.conv.conv2d_backward", _C, "Backpropagation through a convolution",
            "tests/test_conv.py::test_conv2d_backward_matches_numerical_gradient"),
    Formula(r"\tilde w[a, b] = w[K_H - 1 - a, K_W - 1 - b]", "nnbook.conv.flip_kernel", _C,
            "What deep-learning \"convolution\" computes: cross-correlation",
            "tests/test_conv.py::test_conv2d_true_is_the_flipped_kernel_convolution"),
    Formula(r"(x * w)[u, v] = \textstyle\sum_{a,b} x[u - a, v - b]\, w[a, b]", "nnbook.conv.conv2d_true", _C,
            "What deep-learning \"convolution\" computes: cross-correlation",
            "tests/test_conv.py::test_conv2d_true_is_the_flipped_kernel_convolution"),
    Formula(r"y[u, v] = \max_{a,b} x[uS + a, vS + b]", "nnbook.pool.maxpool_forward", _C,
            "A small CNN on handwritten digits", "tests/test_conv.py::test_maxpool_values_and_gradient"),
    Formula(r"\partial J/\partial x\ \text{routed to each window's maximum}", "nnbook.pool.maxpool_backward", _C,
            "A small CNN on handwritten digits", "tests/test_conv.py::test_maxpool_values_and_gradient"),
    Formula(r"y[u, v] = \tfrac{1}{K^2}\textstyle\sum_{a,b} x[uS + a, vS + b]", "nnbook.pool.avgpool_forward", _C,
            "A small CNN on handwritten digits", "tests/test_conv.py::test_avgpool_values_and_gradient"),
    Formula(r"\partial J/\partial x = \tfrac{1}{K^2}\,\partial J/\partial y\ \text{spread over each window}",
            "nnbook.pool.avgpool_backward", _C, "A small CNN on handwritten digits",
            "tests/test_conv.py::test_avgpool_values_and_gradient"),
    # chapter 7
    Formula(r"h_t = \phi(x_t W_x^{\top} + h_{t-1} W_h^{\top} + b)", "nnbook.rnn.rnn_forward", _R,
            "The recurrence, in columns and in rows", "tests/test_rnn.py::test_forward_matches_the_articles_column_form"),
    Formula(r"\delta_t = (\partial J/\partial h_t + \delta_{t+1} W_h) \odot \phi'(z_t)", "nnbook.rnn.rnn_backward", _R,
            "Backpropagation through time", "tests/test_rnn.py::test_backward_matches_numerical_gradient"),
    Formula(r"\lVert \partial h_T / \partial h_t \rVert = \big\lVert \textstyle\prod_{s=t+1}^{T}"
            r" \mathrm{diag}(\phi'(z_s))\, W_h \big\rVert", "nnbook.rnn.hidden_state_jacobian_norms", _R,
            "Vanishing and exploding gradients through time",
            "tests/test_rnn.py::test_jacobian_norms_match_finite_differences"),
    Formula(r"\rho(A) = \max_i |\mu_i(A)|", "nnbook.rnn.spectral_radius", _R,
            "Vanishing and exploding gradients through time",
            "tests/test_rnn.py::test_spectral_radius_of_a_rotation_and_a_diagonal"),
    Formula(r"W \leftarrow W\,\rho^{\ast}/\rho(W)", "nnbook.rnn.scale_to_spectral_radius", _R,
            "Vanishing and exploding gradients through time", "tests/test_rnn.py::test_scale_to_spectral_radius"),
    Formula(r"g \leftarrow g \cdot \min(1, c/\lVert g\rVert)", "nnbook.rnn_training.clip_grad_norm", _R,
            "Vanishing and exploding gradients through time", "tests/test_rnn.py::test_clip_grad_norm"),
]


FORMULAS += [
    # chapter 8
    Formula(r"v \leftarrow \beta_1 v + \nabla J,\quad w \leftarrow w - \eta\, v", "nnbook.optim.momentum_step", _OPT,
            "Momentum: the heavy ball", "tests/test_optim.py::test_momentum_matches_torch_sgd_momentum"),
    Formula(r"s \leftarrow \beta_2 s + (1-\beta_2)\, g^2,\quad w \leftarrow w - \eta\, g/(\sqrt{s} + \epsilon)",
            "nnbook.optim.rmsprop_step", _OPT, "RMSProp and Adam: a step size per coordinate",
            "tests/test_optim.py::test_rmsprop_two_hand_steps"),
    Formula(r"\hat m = \frac{m}{1-\beta_1^t},\ \hat v = \frac{v}{1-\beta_2^t},\ w \leftarrow w - \eta\,\frac{\hat m}{\sqrt{\hat v}+\epsilon}",
            "nnbook.optim.adam_step", _OPT, "The bias correction",
            "tests/test_optim.py::test_adam_hand_steps_and_bias_correction"),
    Formula(r"\eta^{\ast} = \tfrac{2}{\mu_{\min}+\mu_{\max}},\ \text{rate } \tfrac{\kappa-1}{\kappa+1};\ "
            r"\text{heavy ball } \tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}", "nnbook.descent.quadratic_rates", _OPT,
            "The rate on a quadratic", "tests/test_descent.py::test_rates_formulas_and_their_spectral_radius"),
    Formula(r"\max_i \rho\begin{pmatrix}1+\beta_1-\eta\mu_i & -\beta_1\\ 1 & 0\end{pmatrix}",
            "nnbook.descent.momentum_rate", _OPT, "The rate on a quadratic",
            "tests/test_descent.py::test_rates_formulas_and_their_spectral_radius"),
    Formula(r"(e_{\text{stop}}/e_{\text{start}})^{1/(\text{stop}-\text{start})}", "nnbook.descent.measured_rate", _OPT,
            "The rate on a quadratic", "tests/test_descent.py::test_measured_rates_on_the_valley_match_the_theory"),
    Formula(r"\mathbb{E}[g_B] = \nabla J,\ \operatorname{Var}(g_B) \propto 1/B", "nnbook.descent.minibatch_gradient_variance",
            _OPT, "Minibatch SGD: a noisy but unbiased gradient",
            "tests/test_descent.py::test_minibatch_gradient_is_unbiased_with_variance_sigma2_over_B"),
    Formula(r"w \leftarrow w - \eta\, g_B", "nnbook.descent.minibatch_path", _OPT,
            "Minibatch SGD: a noisy but unbiased gradient",
            "tests/test_descent.py::test_minibatch_path_full_batch_is_gradient_descent"),
    Formula(r"\eta_t = \eta", "nnbook.schedules.constant_lr", _OPT, "Learning-rate schedules and warm-up",
            "tests/test_schedules.py::test_constant_with_warmup"),
    Formula(r"\eta_t = \eta\,\gamma^{\lfloor t/s \rfloor}", "nnbook.schedules.step_decay", _OPT,
            "Learning-rate schedules and warm-up", "tests/test_schedules.py::test_step_decay_by_hand"),
    Formula(r"\eta_t = \eta_{\min} + \tfrac{1}{2}(\eta - \eta_{\min})(1 + \cos(\pi t/T))", "nnbook.schedules.cosine_decay",
            _OPT, "Learning-rate schedules and warm-up", "tests/test_schedules.py::test_cosine_by_hand"),
    # chapter 9
    Formula(r"J = -\tfrac{1}{n}\textstyle\sum_k \log\operatorname{softmax}(z_k)_{y_k}\ \text{from Tensor operations}",
            "nnbook.autodiff.cross_entropy", _AD, "Chapter 3's network, rebuilt",
            "tests/test_autodiff.py::test_cross_entropy_matches_losses_module_at_large_logits"),
    Formula(r"z^{(l)} = a^{(l-1)}W^{(l)} + b^{(l)},\ a^{(l)} = \phi(z^{(l)})\ \text{as a graph}", "nnbook.autodiff.mlp_loss",
            _AD, "Chapter 3's network, rebuilt", "tests/test_autodiff.py::test_mlp_loss_matches_hand_derived_backprop"),
    # chapter 10
    Formula(r"[i\ f\ g\ o] = x_t W_x^{\top} + h_{t-1} W_h^{\top} + b,\ c_t = f_t \odot c_{t-1} + i_t \odot g_t,\ "
            r"h_t = o_t \odot \tanh(c_t)", "nnbook.lstm.lstm_forward", _LS, "The LSTM cell",
            "tests/test_lstm.py::test_forward_matches_the_equations"),
    Formula(r"(h_t, c_t) = \mathrm{LSTM}(x_t, h_{t-1}, c_{t-1})", "nnbook.lstm.lstm_step", _LS, "The LSTM cell",
            "tests/test_lstm.py::test_step_is_one_step_of_forward"),
    Formula(r"\bar c_{t-1} = \big(\bar c_t + \bar h_t \odot o_t \odot (1 - \tanh^2 c_t)\big) \odot f_t\ "
            r"(\bar{\cdot} = \partial J/\partial \cdot\,)", "nnbook.lstm.lstm_backward", _LS,
            "Backpropagation through the cell", "tests/test_lstm.py::test_all_six_gradients_match_central_differences"),
    Formula(r"\partial c_T/\partial c_t\big|_{\text{cell path}} = \textstyle\prod_{s=t+1}^{T} \mathrm{diag}(f_s)",
            "nnbook.lstm.forget_gate_products", _LS, "The constant error carousel",
            "tests/test_lstm.py::test_cell_path_jacobian_is_diag_f"),
    # chapter 11
    Formula(r"\operatorname{softmax}(QK^{\top}/\sqrt{d_k})\,V", "nnbook.attention.attention_forward", _AT,
            "Scaled dot-product attention", "tests/test_attention.py::test_formula_by_hand"),
    Formula(r"\partial J/\partial S = A \odot \big(G V^{\top} - \textstyle\sum_s A_s (G V^{\top})_s\big)",
            "nnbook.attention.attention_backward", _AT, "The backward pass through the softmax",
            "tests/test_attention.py::test_gradients_match_central_differences"),
    Formula(r"\partial A_s/\partial S_r = A_s(\mathbb{1}[s = r] - A_r)", "nnbook.attention.softmax_backward", _AT,
            "The backward pass through the softmax", "tests/test_attention.py::test_softmax_backward_is_the_jacobian"),
    Formula(r"M_{ts} = \mathbb{1}[s \le t]", "nnbook.attention.causal_mask", _AT, "Masks",
            "tests/test_attention.py::test_causal_mask"),
    Formula(r"y = \gamma \odot (x - \bar x)/\sqrt{\sigma^2 + \epsilon} + \beta\ \text{per row}",
            "nnbook.layernorm.layernorm_forward", _AT, "Layer normalization against batch normalization",
            "tests/test_layernorm.py::test_rows_are_standardized"),
    Formula(r"\partial J/\partial x = \tfrac{1}{\sqrt{\sigma^2+\epsilon}}\big(g - \bar g - \hat x\,\overline{g \hat x}\big),\ g = \gamma \odot \partial J/\partial y",
            "nnbook.layernorm.layernorm_backward", _AT, "Layer normalization against batch normalization",
            "tests/test_layernorm.py::test_gradients_match_central_differences"),
    Formula(r"a^{(l)} = a^{(l-1)} + \phi(a^{(l-1)}W^{(l)} + b^{(l)})", "nnbook.residual.residual_forward", _AT,
            "Residual connections", "tests/test_residual.py::test_block_is_identity_plus_layer"),
    Formula(r"\partial J/\partial a^{(l-1)} = \partial J/\partial a^{(l)} + \delta^{(l)} W^{(l)\top}",
            "nnbook.residual.residual_backward", _AT, "Residual connections", "tests/test_residual.py::test_block_gradients"),
]

#: Public names of the formula modules that are not formulas, and why.
NOT_FORMULAS: dict[str, str] = {
    "nnbook.activations.get_activation": "looks up an activation and its derivative by name",
    "nnbook.gradcheck.check_gradient": "runs numerical_gradient and rel_error together",
    "nnbook.pool.flatten_forward": "a reshape (N, C, H, W) -> (N, C·H·W), no formula",
    "nnbook.pool.flatten_backward": "the inverse reshape",
    "nnbook.rnn_training.init_rnn_params": "draws initial parameters",
    "nnbook.rnn_training.rnn_regression_loss_and_grads": "composes rnn_forward, a dense read-out and mse",
    "nnbook.rnn_training.train_rnn": "a training loop",
    "nnbook.optim.get_optimizer": "looks up an optimizer's step function by name",
    "nnbook.descent.valley_quadratic": "builds chapter 3's quadratic (its Hessian is in the rate rows)",
    "nnbook.descent.run_path": "iterates an optimizer and records the path",
    "nnbook.descent.make_unique_features": "generates a data set",
    "nnbook.descent.train_with": "a training loop",
}

#: Modules whose public functions each need a formula row or a NOT_FORMULAS entry.
FORMULA_MODULES = ("nnbook.activations", "nnbook.losses", "nnbook.layers", "nnbook.gradcheck",
                   "nnbook.optim", "nnbook.conv", "nnbook.pool", "nnbook.rnn", "nnbook.rnn_training", "nnbook.descent", "nnbook.schedules",
                   "nnbook.autodiff", "nnbook.attention", "nnbook.layernorm", "nnbook.residual", "nnbook.lstm")
