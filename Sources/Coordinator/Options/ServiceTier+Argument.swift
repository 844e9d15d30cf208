import ArgumentParser
import FcsynthCore

extension ServiceTier: ExpressibleByArgument {}
