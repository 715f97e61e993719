"""What each view shows, with its formula: tab and dock tooltips (``tr`` them to show).

Keyed by view or dock name ("network", "Metrics"…).
"""

from settings.tr_noop import tr_noop

HELP = {
    "network": tr_noop(
        'Each circle is a neuron: its colour is its activation a = f(z) for the selected sample of the batch'
        ' (its δ = ∂L/∂z during the backward phases); red > 0, blue < 0, each column\'s scale under it. Each'
        ' line is a weight w: red w > 0, blue w < 0, thicker for larger |w|. The phase is written above; the'
        ' highlighted column is its layer. In the loss phase: ŷ against y and the loss written out. Click a'
        ' neuron to inspect it.'),
    "propagation": tr_noop(
        'Per layer for this batch: output shape, mean and spread of a, ‖δ‖ with δ = ∂L/∂z, ‖∂L/∂W‖ with '
        '∂L/∂W = a_prevᵀ·δ, and the relative update ‖ΔW‖/‖W‖.'),
    "matrices": tr_noop(
        "The layer in process and the quantities of the phase: forward W (inputs × units), z and a "
        "(samples × units); backward δ and ∂L/∂W = a_prevᵀ·δ; update the applied change ΔW and the "
        "optimizer's state (momentum m, velocity v…). White is zero. Choose a layer or quantity to pin it."),
    "distributions": tr_noop(
        'Histograms of z = a_prev·W + b, a = f(z), W and ∂L/∂W in one layer, and their percentiles over '
        'time. Saturated sigmoid/tanh outputs have f′(z) ≈ 0 and pass almost no gradient.'),
    "gradient_flow": tr_noop(
        '‖∂L/∂W‖ per layer over the steps, log scale. Backpropagation multiplies by f′(z) at every layer;'
        " with sigmoid (f′ ≤ 0.25) the first layers' gradients vanish."),
    "decision": tr_noop(
        "The model's output over the input plane (for 2 input features), with training points (circles) "
        'and validation points (squares); below, what each first-layer neuron computes.'),
    "samples": tr_noop(
        "Every sample of the batch, page by page, with the predicted probabilities (softmax outputs) per "
        'class, the true class in green; click one to follow it. The confusion matrix counts validation '
        'samples by true and predicted class.'),
    "Metrics": tr_noop(
        'Loss L = 1/N Σ loss(y, ŷ) of each batch (thin) and of each epoch (thick), training against '
        'validation, and the accuracy.'),
    "Inspector": tr_noop(
        'One neuron: z = Σ a_prev·w + b, a = f(z), ∂L/∂a = Σ_k w_k·δ_k of the next layer, '
        "δ = ∂L/∂a · f′(z), ∂L/∂w = Σ_n a_prev·δ, and the optimizer's Δw, with the numbers."),
    "Code": tr_noop(
        'The model and its settings as Keras code and as PyTorch code.'),
    "Gradient check": tr_noop(
        "Compares backprop's ∂L/∂W with (L(w + h) − L(w − h)) / 2h for each parameter."),
}
