// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fcsynth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fcsynth", targets: ["Coordinator"]),
        .executable(name: "fcsynth-worker", targets: ["Worker"]),
        .library(name: "Shared", targets: ["Shared"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Debian installs both libraries' headers on the default include path, so no pkg-config
        // flags are needed (hiredis.pc would add one that SwiftPM refuses with a warning).
        .systemLibrary(name: "CHiredis"),
        .systemLibrary(name: "CCurl"),
        // Glibc's Swift module leaves out <sys/epoll.h>, which the simulator's server needs.
        .systemLibrary(name: "CEpoll"),
        .target(name: "CCurlShim", dependencies: ["CCurl"], linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CSpawn"),
        .target(
            name: "Shared",
            dependencies: [
                "CHiredis",
                "CCurl",
                "CCurlShim",
                "CEpoll",
                "CSpawn",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Pipeline/Scripts")]
        ),
        .executableTarget(
            name: "Coordinator",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "Worker",
            dependencies: [
                "Shared",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Shared"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "SharedTests",
            dependencies: ["Shared", "TestSupport"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Shared", "TestSupport"]
        ),
    ]
)
