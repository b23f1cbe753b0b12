// Driver for the process-per-client mode: N client.mjs processes, one
// automerge-repo client each, timed together. The Rust bench can do the same
// itself; this script checks the mode without it.
//
// Usage: node multi.mjs --url ws://127.0.0.1:P [--clients N] [--changes K]
//                       [--timeout-ms T]
//   defaults: N=10, K=100, T=120000
//
// Spawns client 0 (the creator), reads its `doc <url>`, spawns clients
// 1..N-1 with --doc, waits until all N print `ready`, notes the wall time
// and sends `go` to all of them, collects every `done <ms>`, then sends
// `stop` and waits for every client to exit 0.
//
// stdout: exactly one JSON line
//   {"clients":N,"changes_per_client":K,"total_changes":N*K,
//    "converge_ms":<float>,"setup_ms":<float>,"mode":"process-per-client"}
// and exit 0. converge_ms = the latest `done` time minus the wall time just
// before the first `go` was written. setup_ms runs from spawning client 0
// until every client has printed `ready` (so it includes Node start-up and
// module loading in every process). Everything else goes to stderr,
// including the clients' own stderr.
//
// Exit codes: 1 if any client fails (exits early or non-zero, or breaks the
// protocol) or on timeout (T bounds the whole run); every client still
// running is killed first. 2 on bad arguments.

import { spawn } from "node:child_process"
import path from "node:path"
import readline from "node:readline"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { performance } from "node:perf_hooks"

const log = msg => process.stderr.write(`multi.mjs: ${msg}\n`)
const wallMs = () => performance.timeOrigin + performance.now()
const CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), "client.mjs")

function usage(msg) {
  log(msg)
  log("usage: node multi.mjs --url ws://HOST:PORT [--clients N] [--changes K] [--timeout-ms T]")
  process.exit(2)
}

let args
try {
  args = parseArgs({
    options: {
      url: { type: "string" },
      clients: { type: "string", default: "10" },
      changes: { type: "string", default: "100" },
      "timeout-ms": { type: "string", default: "120000" },
    },
    strict: true,
  }).values
} catch (e) {
  usage(e.message)
}
const posInt = (name, s) => {
  const n = Number(s)
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < 1) {
    usage(`--${name} must be a positive integer, got ${s}`)
  }
  return n
}
if (args.url === undefined) usage("--url is required")
let url
try {
  url = new URL(args.url)
} catch {
  usage(`--url is not a URL: ${args.url}`)
}
if (url.protocol !== "ws:" && url.protocol !== "wss:") {
  usage(`--url must be ws:// or wss://, got ${args.url}`)
}
const N = posInt("clients", args.clients)
const K = posInt("changes", args.changes)
const TIMEOUT_MS = posInt("timeout-ms", args["timeout-ms"])

let phase = "starting client 0"
let stopping = false // set once `stop` has been sent: exits are expected
const children = []

function killAll() {
  for (const c of children) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL")
  }
}
function fail(msg) {
  log(`FAILED during ${phase}: ${msg}`)
  killAll()
  process.exit(1)
}
const progress = () => {
  const n = key => children.filter(c => c[key] !== undefined).length
  return `${children.length}/${N} spawned, ${n("ready")} ready, ${n("done")} done`
}

// One deadline for the whole run. The clients get the same --timeout-ms but
// start later, so this one fires first.
setTimeout(() => fail(`TIMEOUT after ${TIMEOUT_MS} ms (${progress()}) url=${args.url}`), TIMEOUT_MS)
process.on("SIGINT", () => fail("interrupted (SIGINT)"))
process.on("SIGTERM", () => fail("terminated (SIGTERM)"))
process.on("uncaughtException", err => fail(err?.stack ?? err))
process.on("unhandledRejection", err => fail(err?.stack ?? err))

// Resolvers waiting for the next event of some kind from any client.
let notify = () => {}
const changed = () => {
  const n = notify
  notify = () => {}
  n()
}
const waitUntil = async predicate => {
  while (!predicate()) await new Promise(r => (notify = r))
}

function spawnClient(index, doc) {
  const argv = [
    CLIENT,
    "--url", args.url,
    "--index", String(index),
    "--clients", String(N),
    "--changes", String(K),
    "--timeout-ms", String(TIMEOUT_MS),
  ]
  if (doc !== undefined) argv.push("--doc", doc)
  const proc = spawn(process.execPath, argv, { stdio: ["pipe", "pipe", "inherit"] })
  const c = { index, proc, doc: undefined, ready: undefined, done: undefined, exit: undefined }
  children.push(c)
  proc.on("error", err => fail(`client ${index} could not be started: ${err.message}`))
  // A client that goes away while we write to it shows up as EPIPE here;
  // its exit is reported below.
  proc.stdin.on("error", () => {})
  proc.on("exit", (code, signal) => {
    c.exit = { code, signal }
    if (!stopping || code !== 0) {
      fail(`client ${index} exited (code ${code}, signal ${signal}); its stderr says why`)
    }
    changed()
  })
  readline.createInterface({ input: proc.stdout, crlfDelay: Infinity }).on("line", line => {
    const [word, rest, extra] = line.trim().split(/\s+/)
    if (word === "doc" && index === 0 && c.doc === undefined && rest && !extra) {
      c.doc = rest
    } else if (word === "ready" && c.ready === undefined && !rest && (index !== 0 || c.doc)) {
      c.ready = wallMs()
    } else if (word === "done" && c.done === undefined && c.ready !== undefined && !extra) {
      const ms = Number(rest)
      if (!Number.isFinite(ms)) fail(`client ${index} printed a bad done line: ${JSON.stringify(line)}`)
      c.done = ms
    } else {
      fail(`client ${index} printed an unexpected line: ${JSON.stringify(line)}`)
    }
    changed()
  })
  return c
}

const setupStart = wallMs()
const first = spawnClient(0)
await waitUntil(() => first.doc !== undefined)

phase = "starting clients 1..N-1"
for (let i = 1; i < N; i++) spawnClient(i, first.doc)
await waitUntil(() => children.every(c => c.ready !== undefined))
const setupMs = wallMs() - setupStart

phase = "converging"
const goAt = wallMs()
for (const c of children) c.proc.stdin.write("go\n")
await waitUntil(() => children.every(c => c.done !== undefined))
const dones = children.map(c => c.done)
const last = Math.max(...dones)
const firstDone = Math.min(...dones)

phase = "stopping clients"
stopping = true
for (const c of children) c.proc.stdin.end("stop\n")
await waitUntil(() => children.every(c => c.exit !== undefined))

log(
  `first client converged ${(firstDone - goAt).toFixed(1)} ms after go, last ` +
    `${(last - goAt).toFixed(1)} ms; setup ${setupMs.toFixed(1)} ms`,
)
const result = {
  clients: N,
  changes_per_client: K,
  total_changes: N * K,
  converge_ms: Number((last - goAt).toFixed(3)),
  setup_ms: Number(setupMs.toFixed(3)),
  mode: "process-per-client",
}
process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0))
