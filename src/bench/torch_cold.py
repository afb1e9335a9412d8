"""One first gradient in a fresh Python with PyTorch, the peer of dualgrad's ColdStart (src/bench/cold_start.sh):
ce_tiny (mean cross-entropy of logits [3, 5] w.r.t. the logits) or mlp (tanh MLP 784-256-256-10, batch 128,
gradient w.r.t. all weights and biases), float64."""
import sys
import torch

which = sys.argv[1] if len(sys.argv) > 1 else "ce_tiny"
torch.manual_seed(0)
if which == "ce_tiny":
    x = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.cross_entropy(x, torch.tensor([1, 0, 4])).backward()
    s = x.grad.sum().item()
else:
    net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.Tanh(), torch.nn.Linear(256, 256), torch.nn.Tanh(),
                              torch.nn.Linear(256, 10)).double()
    bx = torch.randn(128, 784, dtype=torch.float64)
    bt = torch.tensor([(i * 7) % 10 for i in range(128)])
    torch.nn.functional.cross_entropy(net(bx), bt).backward()
    s = sum(p.grad.abs().sum().item() for p in net.parameters())
print(which, s)
