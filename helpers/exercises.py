"""The exercises of every chapter: the expected answer, its tolerance and the hint for a wrong try."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpers.translation import N_


@dataclass(frozen=True)
class Exercise:
    """What `check` compares a learner's answer with. The question and the hint are marked with `N_`
    for the catalogs; `check` shows them in the learner's language."""

    question: str
    answer: Any  # a number, or a nested list for a gradient with a shape
    hint: str
    rtol: float = 1e-4
    atol: float = 1e-6


EXERCISES: dict[str, Exercise] = {
    "01-derivative": Exercise(
        question=N_("f′(2) for f(x) = x² + 2x − 1"),
        answer=6.0,
        hint=N_("Differentiate term by term: d/dx x² = 2x, d/dx 2x = 2, d/dx (−1) = 0; then put in x = 2."),
    ),
    "01-watch": Exercise(
        question=N_("∂z/∂x for z = (sum x)³ at x = ones((2, 2))"),
        answer=[[48.0, 48.0], [48.0, 48.0]],
        hint=N_("By the chain rule ∂z/∂x_ij = 3·(sum x)² · 1 in every entry, and sum x = 4 here."),
    ),
    "05-second-derivative": Exercise(
        question=N_("f″(1.5) for f(x) = x⁴"),
        answer=27.0,
        hint=N_(
            "Nest two tapes and call the inner tape's gradient inside the outer `with` block; "
            "by hand f′ = 4x³ and f″ = 12x², then put in x = 1.5."
        ),
    ),
    "05-hessian": Exercise(
        question=N_("the Hessian of f(x, y) = x³ + xy² at (x, y) = (1, 2)"),
        answer=[[6.0, 4.0], [4.0, 2.0]],
        hint=N_(
            "The gradient is (3x² + y², 2xy); differentiate each entry by x and by y "
            "(or take tape.jacobian of the gradient) and put in x = 1, y = 2."
        ),
    ),
    "08-hidden-constant": Exercise(
        question=N_("dy/dx at x = 2 for y = x³ + 3x, with the NumPy detour removed"),
        answer=15.0,
        hint=N_(
            "x.numpy() leaves the tape, so x² counted as a constant. Compute it with TensorFlow "
            "(x**2 or tf.square(x)); by hand dy/dx = 3x² + 3."
        ),
    ),
    "08-zero-grad": Exercise(
        question=N_("x after three gradient-descent steps on y = x² from x = 1 with rate 0.25"),
        answer=0.125,
        hint=N_(
            "Zero x.grad before every backward(). Each correct step is x ← x − 0.25·2x = x/2, "
            "so three steps halve 1 three times."
        ),
    ),
    "04-even-loop": Exercise(
        question=N_("d output/dx at x = 1.5 for the loop over range(7) that multiplies by x when i is even"),
        answer=13.5,
        hint=N_(
            "Count the even steps among i = 0 … 6: that many multiplications give output = x^k, "
            "whose derivative is k·x^(k−1); then put in x = 1.5."
        ),
    ),
    "04-stop-gradient": Exercise(
        question=N_("dy/dx at x = 3 for y = x · x · tf.stop_gradient(x)"),
        answer=18.0,
        hint=N_("tf.stop_gradient(x) counts as the constant c = 3, so y = c·x² and dy/dx = 2·c·x."),
    ),
    "04-kink": Exercise(
        question=N_("what the tape returns at x = 1 for f(x) = x² if x < 1 else 3x − 2"),
        answer=3.0,
        hint=N_(
            "At exactly x = 1 the test x < 1 is false, so only the else branch 3x − 2 runs and is recorded."
        ),
    ),
    "07-grad-once": Exercise(
        question=N_("x.grad for y = x³ + 2x at x = 1 after one backward()"),
        answer=5.0,
        hint=N_("dy/dx = 3x² + 2; put in x = 1. Start from a fresh x so that .grad holds one gradient only."),
    ),
    "07-grad-twice": Exercise(
        question=N_("x.grad for y = x³ + 2x at x = 1 after two backward() calls without zeroing"),
        answer=10.0,
        hint=N_("Each backward() adds dy/dx = 5 into x.grad; recompute y before the second call."),
    ),
    "06-gradient": Exercise(
        question=N_("(∂L/∂w, ∂L/∂b) of the mean squared error of the four points at w = 1.0, b = 0.0"),
        answer=[-15.0, -5.0],
        hint=N_(
            "With w = 1, b = 0 the prediction is x, so every residual y − ŷ equals x; then use "
            "∂L/∂w = −(2/n)·Σ x·r and ∂L/∂b = −(2/n)·Σ r with n = 4."
        ),
    ),
    "06-max-lr": Exercise(
        question=N_("the largest stable learning rate 2/λ_max for x = [1, 2, 3, 4]"),
        answer=0.11975610662865498,
        hint=N_(
            "The Hessian of the MSE is 2·[[mean x², mean x], [mean x, 1]] = [[15, 5], [5, 2]]; "
            "λ_max is its largest eigenvalue (np.linalg.eigvalsh), and the bound is 2 / λ_max."
        ),
        rtol=1e-3,
    ),
    "02-pair": Exercise(
        question=N_("(∂f/∂a, ∂f/∂b) for f(a, b) = a²·b at (a, b) = (3, 2)"),
        answer=[12.0, 9.0],
        hint=N_(
            "Pass both sources in one call, tape.gradient(f, [a, b]); by hand ∂f/∂a = 2ab and ∂f/∂b = a². "
            "Give the pair in that order, for example [da, db]."
        ),
    ),
    "02-matrix": Exercise(
        question=N_("∂L/∂W for L = sum(W @ v) with W = [[1, 2], [3, 4]] and v = [5, 6]"),
        answer=[[5.0, 6.0], [5.0, 6.0]],
        hint=N_(
            "L = Σ_i Σ_j W_ij·v_j, so W_ij is multiplied by v_j alone: ∂L/∂W_ij = v_j. "
            "The answer has the shape of W (2 × 2), and W's own values do not appear in it."
        ),
    ),
    "03-two-gradients": Exercise(
        question=N_("(dy/dx, dz/dx) for y = x³ and z = y² at x = 2, from one persistent tape"),
        answer=[12.0, 192.0],
        hint=N_(
            "Open the tape with persistent=True, compute y and z inside it, then call tape.gradient twice. "
            "By hand dy/dx = 3x² and z = x⁶, so dz/dx = 6x⁵. Give the pair as [dy_dx, dz_dx]."
        ),
    ),
    "03-jacobian": Exercise(
        question=N_("the Jacobian of f(x) = [x₀·x₁², x₀ + 3x₁] at (x₀, x₁) = (3, 2)"),
        answer=[[4.0, 12.0], [1.0, 3.0]],
        hint=N_(
            "Row i is the gradient of fᵢ: ∂(x₀·x₁²) = (x₁², 2x₀x₁) and ∂(x₀ + 3x₁) = (1, 3). "
            "Stack the outputs with tf.stack inside the tape and call tape.jacobian(f, x); "
            "the answer is 2 × 2."
        ),
    ),
    "09-tanh": Exercise(
        question=N_("dy/dx for y = tanh(x)·x at x = 0.5, with your tanh rule on the tape built from scratch"),
        answer=0.8553410237429735,
        hint=N_(
            "The local derivative of tanh is 1 − t² with t = tanh(v): "
            "record(\"tanh\", [v], t, [1 - t * t]). "
            "Compute y = tanh(x) * x inside `with Tape() as tape:` and ask tape.gradient(y, x); "
            "by hand dy/dx = tanh x + x·(1 − tanh² x)."
        ),
    ),
    "09-forgetful": Exercise(
        question=N_("what the forgetful tape (= instead of +=) gives for dy/dx, y = x·x·x at x = 2"),
        answer=4.0,
        hint=N_(
            "The records are v1 = x·x and y = v1·x. Play them back newest first and let each contribution "
            "replace the one before: x receives 4 from y's record, then 2·2 and 2·2 from v1's record."
        ),
    ),
    "11-dense-bias": Exercise(
        question=N_(
            "∂L/∂b of Dense(2) with W = [[1, 2], [−1, 0.5]], b = [0.5, −0.5] on x = [[1, 1], [2, 0]], "
            "L = the sum of the squared outputs"
        ),
        answer=[6.0, 11.0],
        hint=N_(
            "Compute z = x·W + b for each row ((0.5, 2) and (2.5, 3.5)). L = Σ z², so every row adds 2z to "
            "∂L/∂b: the bias is used by every row. With a tape: tape.gradient(L, "
            "dense.trainable_variables)[1]."
        ),
    ),
    "11-sgd-step": Exercise(
        question=N_(
            "[W, b] of Dense(1) after one SGD step with learning rate 0.05 from W = 1, b = 0 "
            "on the four points"
        ),
        answer=[1.75, 0.25],
        hint=N_(
            "The gradients at W = 1, b = 0 are ∂L/∂W = −15 and ∂L/∂b = −5; one step is θ ← θ − 0.05·∂L/∂θ. "
            "In Keras: SGD(learning_rate=0.05).apply_gradients(zip(grads, line.trainable_variables)). "
            "In PyTorch call optimizer.zero_grad() before backward(): .grad adds up, and an old gradient "
            "left in it doubles the step (giving [2.5, 0.5])."
        ),
    ),
    "11-clip": Exercise(
        question=N_(
            "g₁ = (3, 4) and g₂ = (12) clipped to a global norm of at most 6.5, as [g₁, g₂] in one list"
        ),
        answer=[1.5, 2.0, 6.0],
        hint=N_(
            "The global norm is √(3² + 4² + 12²) = 13, above 6.5, so every entry is multiplied by 6.5/13. "
            "tf.clip_by_global_norm(grads, 6.5) returns (clipped list, norm); tf.concat(clipped, 0) makes "
            "one list."
        ),
    ),
    "10-vjp": Exercise(
        question=N_("vᵀJ for f(x) = [x₀²·x₁, x₀ + 3x₁, x₁²] at x = (1, 2) with v = (1, −1, 2)"),
        answer=[3.0, 6.0],
        hint=N_(
            "Pass the weights to the tape: tape.gradient(y, x, output_gradients=v) (in PyTorch "
            "y.backward(gradient=v)). By hand the rows of J are (2x₀x₁, x₀²), (1, 3) and (0, 2x₁): add them "
            "up "
            "with the weights v. The answer has one number per input, two."
        ),
    ),
    "10-jvp": Exercise(
        question=N_("J·u for f(x) = [x₀²·x₁, x₀ + 3x₁, x₁²] at x = (1, 2) with u = (1, −1)"),
        answer=[3.0, -2.0, -4.0],
        hint=N_(
            "Compute y inside `with tf.autodiff.ForwardAccumulator(primals=x, tangents=u) as acc:` and read "
            "acc.jvp(y) (in PyTorch torch.func.jvp(f, (x,), (u,))). By hand J·u = u₀·(column 0) "
            "+ u₁·(column 1) of J: one number per output, three."
        ),
    ),
    "10-passes": Exercise(
        question=N_(
            "[reverse-mode passes, forward-mode passes] for the Jacobian of tanh(W·x), W of 10 × 784"
        ),
        answer=[10.0, 784.0],
        hint=N_(
            "J has one row per output and one column per input, m × n = 10 × 784. Reverse mode gives one "
            "row per backward pass, forward mode one column per forward pass."
        ),
    ),
}
