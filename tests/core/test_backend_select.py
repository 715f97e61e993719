"""Backend and device selection, with fake torch modules standing in for GPUs."""

import types

import pytest

from core.backend import select
from core.backend.ops import NumpyOps


class FakeCuda:
    def __init__(self, names):
        self.names = names

    def is_available(self):
        return bool(self.names)

    def device_count(self):
        return len(self.names)

    def get_device_name(self, i):
        return self.names[i]


def fake_torch(gpus=(), mps=False):
    """Just enough of torch for selection; TorchOps creation is tested with real torch."""
    return types.SimpleNamespace(cuda=FakeCuda(list(gpus)),
                                 backends=types.SimpleNamespace(mps=types.SimpleNamespace(is_available=lambda: mps)))


@pytest.fixture
def machine(monkeypatch):
    def set_machine(torch):
        monkeypatch.setattr(select, "torch_importer", lambda: torch)
        gpus = bool(torch is not None and (torch.cuda.names or torch.backends.mps.is_available()))
        monkeypatch.setattr(select, "gpu_may_exist", lambda: gpus)
    monkeypatch.delenv("PROPSCOPE_BACKEND", raising=False)
    monkeypatch.delenv("PROPSCOPE_DEVICE", raising=False)
    return set_machine


def test_without_torch_everything_falls_back_to_numpy(machine):
    machine(None)
    assert select.get_backend("auto").ops.name == "numpy"
    choice = select.get_backend("torch", "cuda")
    assert isinstance(choice.ops, NumpyOps)
    assert "torch is not installed" in choice.message
    with pytest.raises(select.BackendUnavailable, match="not installed"):
        select.get_backend("torch", strict=True)
    assert [b["label"] for b in select.available_backends()] == ["numpy · cpu"]


def test_auto_on_a_cpu_only_machine_picks_numpy_without_importing_torch(machine, monkeypatch):
    machine(fake_torch())
    monkeypatch.setattr(select, "torch_importer", lambda: pytest.fail("torch imported on a CPU-only machine"))
    choice = select.get_backend("auto", "auto")
    assert choice.ops.name == "numpy" and not choice.fell_back


def test_cuda_requested_but_absent_falls_back_with_a_message(machine):
    machine(fake_torch())
    choice = select.get_backend("torch", "cuda")
    assert choice.ops.name == "numpy"
    assert "CUDA is not available" in choice.message


def test_gpu_machine_lists_each_gpu_with_its_name(machine):
    machine(fake_torch(gpus=["NVIDIA A100", "NVIDIA T4"]))
    labels = [b["label"] for b in select.available_backends()]
    assert labels == ["torch · cuda: NVIDIA A100", "torch · cuda:1: NVIDIA T4", "torch · cpu", "numpy · cpu"]


def test_gpu_machine_auto_selects_cuda(machine, monkeypatch):
    machine(fake_torch(gpus=["NVIDIA A100"]))
    made = {}

    class FakeTorchOps:
        name = "torch"

        def __init__(self, torch, device, dtype):
            made["device"] = device

        def zeros(self, shape):
            return None

    import core.backend.torch_ops as torch_ops

    monkeypatch.setattr(torch_ops, "TorchOps", FakeTorchOps)
    choice = select.get_backend("auto", "auto")
    assert made["device"] == "cuda:0" and choice.ops.name == "torch"
    select.get_backend("torch", "cuda:0")
    assert made["device"] == "cuda:0"
    missing = select.get_backend("torch", "cuda:3")
    assert missing.ops.name == "numpy" and "no CUDA device 3" in missing.message


def test_broken_driver_degrades_to_numpy(machine, monkeypatch):
    machine(fake_torch(gpus=["Broken GPU"]))

    class ExplodingOps:
        def __init__(self, *a, **k):
            raise RuntimeError("CUDA driver version is insufficient")

    import core.backend.torch_ops as torch_ops

    monkeypatch.setattr(torch_ops, "TorchOps", ExplodingOps)
    choice = select.get_backend("torch", "cuda")
    assert choice.ops.name == "numpy" and "insufficient" in choice.message


def test_mps_needs_float32(machine):
    machine(fake_torch(mps=True))
    choice = select.get_backend("torch", "mps", dtype="float64")
    assert choice.ops.name == "numpy" and "float64" in choice.message


def test_environment_variable_chooses_the_default(machine, monkeypatch):
    machine(None)
    monkeypatch.setenv("PROPSCOPE_BACKEND", "numpy")
    assert select.get_backend().requested == "numpy/auto"


def test_bad_names_are_rejected():
    with pytest.raises(ValueError, match="Unknown backend"):
        select.get_backend("jax")
    with pytest.raises(ValueError, match="Unknown device"):
        select.get_backend("torch", "tpu")


def test_numpy_cannot_run_on_a_gpu():
    choice = select.get_backend("numpy", "cuda")
    assert choice.ops.name == "numpy" and "CPU only" in choice.message


def test_real_torch_cpu_backend(torch_module):
    choice = select.get_backend("torch", "cpu", strict=True)
    assert choice.ops.name == "torch" and choice.ops.device == "cpu"
    assert "torch · cpu" in [b["label"] for b in select.available_backends()]
