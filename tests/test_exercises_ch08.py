"""The chapter 8 checks accept the reference answers and explain plausible mistakes."""
import numpy as np
import pytest

from nnbook.exercises import (ExerciseError, check_adam_step, check_cosine_schedule,
                              check_heavy_ball_parameters)


def adam(params, grads, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] = t = state.get("t", 0) + 1
    m, v = state.setdefault("m", {}), state.setdefault("v", {})
    for key, w in params.items():
        g = grads[key]
        m[key] = beta1 * m.get(key, 0.0) + (1 - beta1) * g
        v[key] = beta2 * v.get(key, 0.0) + (1 - beta2) * g**2
        m_hat, v_hat = m[key] / (1 - beta1**t), v[key] / (1 - beta2**t)
        w -= lr * m_hat / (np.sqrt(v_hat) + eps)


def adam_rebinding(params, grads, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] = state.get("t", 0) + 1
    for key in params:
        g = grads[key]
        m = state.get(("m", key), 0.0) * beta1 + (1 - beta1) * g
        v = state.get(("v", key), 0.0) * beta2 + (1 - beta2) * g * g
        state[("m", key)], state[("v", key)] = m, v
        params[key] = params[key] - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)


@pytest.mark.parametrize("answer", [adam, adam_rebinding])
def test_adam_accepts_reference(answer, capsys):
    assert check_adam_step(answer) is True
    assert "correct" in capsys.readouterr().out


def _wrong_adam(mistake):
    def step(params, grads, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        t = state["t"] = state.get("t", 0) + 1
        if mistake == "t stuck":
            t = 1
        m, v = state.setdefault("m", {}), state.setdefault("v", {})
        for key, w in params.items():
            g = grads[key]
            m[key] = beta1 * m.get(key, 0.0) + (1 - beta1) * g
            v[key] = beta2 * v.get(key, 0.0) + (1 - beta2) * (g if mistake == "g" else g**2)
            m_hat, v_hat = m[key] / (1 - beta1**t), v[key] / (1 - beta2**t)
            if mistake == "no correction":
                m_hat, v_hat = m[key], v[key]
            if mistake == "eps inside":
                w -= lr * m_hat / np.sqrt(v_hat + eps)
            elif mistake == "g":
                with np.errstate(invalid="ignore"):
                    w -= lr * m_hat / (np.sqrt(v_hat) + eps)
            elif mistake == "swapped betas":
                w -= lr * (beta2 * 0 + m_hat) / (np.sqrt(v_hat) + eps) * (1 - beta1) / (1 - beta2)
            else:
                w -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return step


@pytest.mark.parametrize("mistake, message", [
    ("no correction", "bias correction is missing"),
    ("t stuck", "step count t does not advance"),
    ("g", "nan or inf"),
    ("eps inside", "outside the square root"),
    ("swapped betas", "params['W'] after step 1"),
])
def test_adam_rejects_mistakes(mistake, message):
    with pytest.raises(ExerciseError, match="ex-ch08-adam-code") as err:
        check_adam_step(_wrong_adam(mistake))
    assert message in str(err.value)


def test_adam_rejects_a_step_that_changes_nothing():
    with pytest.raises(ExerciseError, match="params did not change"):
        check_adam_step(lambda params, grads, state, lr, **kw: None)


def cosine(lr, steps, warmup):
    t = np.arange(steps)
    s, S = t - warmup, steps - warmup
    return np.where(t < warmup, lr * (t + 1) / max(warmup, 1), lr * 0.5 * (1 + np.cos(np.pi * s / S)))


def test_cosine_accepts_reference(capsys):
    assert check_cosine_schedule(cosine) is True
    assert "correct" in capsys.readouterr().out


def _cos_wrong(mistake):
    def schedule(lr, steps, warmup):
        t = np.arange(steps)
        s, S = t - warmup, steps - warmup
        period = 2 * np.pi if mistake == "period" else np.pi
        denom = S - 1 if mistake == "S-1" else S
        main = lr * 0.5 * (1 + np.cos(period * s / denom))
        if mistake == "no warmup":
            return lr * 0.5 * (1 + np.cos(np.pi * t / steps))
        warm = lr * (t if mistake == "from 0" else t + 1) / max(warmup, 1)
        out = np.where(t < warmup, warm, main)
        return out[:-1] if mistake == "short" else out
    return schedule


@pytest.mark.parametrize("mistake, message", [
    ("from 0", "starts at η = 0"),
    ("no warmup", "there is no warm-up"),
    ("period", "HALF a period"),
    ("S-1", "divide by S = steps − warmup"),
    ("short", "has shape (39,), expected (40,)"),
])
def test_cosine_rejects_mistakes(mistake, message):
    with pytest.raises(ExerciseError, match="ex-ch08-cosine-code") as err:
        check_cosine_schedule(_cos_wrong(mistake))
    assert message in str(err.value)


def heavy_ball(mu_min, mu_max):
    r = np.sqrt(mu_max / mu_min)
    return 4 / (np.sqrt(mu_max) + np.sqrt(mu_min)) ** 2, ((r - 1) / (r + 1)) ** 2


def test_heavy_ball_accepts_reference(capsys):
    assert check_heavy_ball_parameters(heavy_ball) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda a, b: (2 / (a + b), heavy_ball(a, b)[1]), "gradient descent's best step"),
    (lambda a, b: (heavy_ball(a, b)[0], (b / a - 1) / (b / a + 1)), "uses κ where"),
    (lambda a, b: (heavy_ball(a, b)[0], np.sqrt(heavy_ball(a, b)[1])), "is the rate"),
    (lambda a, b: heavy_ball(a, b)[0], "return the pair"),
    (lambda a, b: (1 / (np.sqrt(b) + np.sqrt(a)) ** 2, heavy_ball(a, b)[1]), "eta is"),
])
def test_heavy_ball_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch08-heavy-ball") as err:
        check_heavy_ball_parameters(wrong)
    assert message in str(err.value)
