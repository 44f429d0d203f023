import FuzzDriver
import FuzzHarness

/// One input through the `fhirpath` check; a broken property stops the fuzzer like a crash, with
/// the finding as its message. Exported under libFuzzer's name too, which its own (unused)
/// `main` refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do { try FuzzTarget.fhirpath.check(bytes) } catch { fatalError("fhirpath: \(error)") }
    return 0
}

runFuzzer(fuzzOneInput)
