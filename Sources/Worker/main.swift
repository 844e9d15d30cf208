import Shared
print("fcsynth-worker")
