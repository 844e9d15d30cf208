import Shared
print("fcsynth")
