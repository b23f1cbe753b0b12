// One automerge-repo client per process, for the process-per-client mode of
// the benchmark (clients.mjs runs all N clients in one process instead).
//
// Usage: node client.mjs --url ws://HOST:PORT --index I --clients N --changes K
//                        [--doc AUTOMERGE_URL] [--timeout-ms T]
//   defaults: T=120000
//
// One in-memory Repo (no storage) with its own WebSocketClientAdapter to --url.
//
// stdout protocol (these lines only, each ending in "\n"):
//   doc <automerge url>   only the creator (no --doc; must be --index 0): once
//                         the server has acknowledged the new document
//                         { items: {} }. Pass this URL to the others as --doc.
//   ready                 connected and holding the document; listening for
//                         convergence. Then the client waits for `go` on stdin.
//   done <ms>             its document holds all N*K keys. <ms> is wall-clock
//                         time in epoch milliseconds, a float:
//                         performance.timeOrigin + performance.now(), taken
//                         when the last key arrived.
// stdin protocol (one command a line):
//   go     make K separate changes d.items["<I>-<k>"] = k, one handle.change
//          per key, with setImmediate between them.
//   stop   close the repo and exit: 0 if `done` was printed, else 1.
//   End of stdin counts as `stop`. Any other non-empty line is an error.
// After `done` the client stays connected until `stop` or end of stdin.
//
// Exit codes: 0 after `stop` following `done`. 1 on timeout (T bounds the
// whole life of the process, including the wait for `stop`), an unreachable
// or wrong server, a lost connection, `stop`/end of stdin before `done`, a
// wrong value after convergence, or a protocol error on stdin. 2 on bad
// arguments. stderr always says why, and reports wire and CPU counts.

import readline from "node:readline"
import { parseArgs } from "node:util"
import { performance } from "node:perf_hooks"
import { Repo, isValidAutomergeUrl } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { connected, serverHas } from "./sync-waits.mjs"

let tag = "client.mjs"
const log = msg => process.stderr.write(`${tag}: ${msg}\n`)
// automerge-repo reports some internal errors with console.log; keep stdout
// for the protocol lines.
console.log = console.error
console.info = console.error
console.debug = console.error
const say = line => process.stdout.write(`${line}\n`)
const wallMs = () => performance.timeOrigin + performance.now()

function usage(msg) {
  log(msg)
  log(
    "usage: node client.mjs --url ws://HOST:PORT --index I --clients N --changes K " +
      "[--doc AUTOMERGE_URL] [--timeout-ms T]",
  )
  process.exit(2)
}

let args
try {
  args = parseArgs({
    options: {
      url: { type: "string" },
      index: { type: "string" },
      clients: { type: "string" },
      changes: { type: "string" },
      doc: { type: "string" },
      "timeout-ms": { type: "string", default: "120000" },
    },
    strict: true,
  }).values
} catch (e) {
  usage(e.message)
}

const int = (name, s, min) => {
  if (s === undefined) usage(`--${name} is required`)
  const n = Number(s)
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < min) {
    usage(`--${name} must be an integer >= ${min}, got ${s}`)
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
const N = int("clients", args.clients, 1)
const K = int("changes", args.changes, 1)
const I = int("index", args.index, 0)
const TIMEOUT_MS = int("timeout-ms", args["timeout-ms"], 1)
if (I >= N) usage(`--index must be below --clients (${N}), got ${I}`)
const creator = args.doc === undefined
if (creator && I !== 0) usage("without --doc this client creates the document and must be --index 0")
if (!creator && !isValidAutomergeUrl(args.doc)) usage(`--doc is not an automerge URL: ${args.doc}`)
const TOTAL = N * K
tag = `client.mjs[${I}]`

let phase = "connecting"
let count = 0 // keys seen, from patches
let doneAt // wall ms, once converged
let stopping = false

function fail(msg) {
  log(`FAILED during ${phase}: ${msg} (url=${args.url})`)
  process.exit(1)
}

// One deadline for the whole life of the process. A client adapter that
// cannot reach the server retries quietly forever, so this is what ends an
// unreachable run.
const deadline = setTimeout(() => {
  const seen = phase === "converging" ? ` (${count}/${TOTAL} keys seen)` : ""
  fail(`TIMEOUT after ${TIMEOUT_MS} ms${seen}`)
}, TIMEOUT_MS)

// The websocket client adapter rethrows any socket error other than
// ECONNREFUSED from inside an event listener (e.g. ENOTFOUND, or an HTTP
// endpoint that refuses the upgrade). Turn that into a clear failure.
process.on("uncaughtException", err => fail(err?.stack ?? err))
process.on("unhandledRejection", err => fail(err?.stack ?? err))

// Wire counters, reported on stderr only.
const wire = { sent: 0, sentBytes: 0, recv: 0, recvBytes: 0 }
const adapter = new WebSocketClientAdapter(args.url)
const send = adapter.send.bind(adapter)
adapter.send = message => {
  wire.sent++
  wire.sentBytes += message.data?.byteLength ?? 0
  try {
    return send(message)
  } catch (e) {
    // The adapter throws when the socket is already closing. Inside
    // automerge-repo's receive path that leaves the DocHandle holding an
    // outdated document, so later change() calls throw; say why here.
    log(`send failed during ${phase}: ${e.message} (connection dropped)`)
    throw e
  }
}
adapter.on("message", message => {
  wire.recv++
  wire.recvBytes += message.data?.byteLength ?? 0
})
adapter.on("peer-disconnected", () => {
  // A drop is fatal for the measurement: the adapter waits 5 s before
  // reconnecting, and a send that races the close can leave automerge-repo's
  // DocHandle holding an outdated document. Also fatal after `done`: the
  // driver expects every client to stay connected until `stop`.
  if (!stopping) {
    fail(
      "lost the connection to the server: the server went away, or its websocket " +
        "keep-alive (5 s by default) dropped this client because a pong was stuck " +
        "behind a backlog of sync messages; see the server's stderr",
    )
  }
})
const repo = new Repo({ network: [adapter] }) // no storage: in-memory

// stdin: one command a line. Commands are queued until main() asks for them.
const commands = []
let wakeCommand
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on("line", line => {
  const cmd = line.trim()
  if (cmd === "") return
  if (cmd === "stop") return void stop("stop")
  if (cmd !== "go" || phase !== "waiting for go") {
    fail(`unexpected line on stdin: ${JSON.stringify(cmd)}`)
  }
  commands.push(cmd)
  wakeCommand?.()
})
rl.on("close", () => void stop("end of stdin"))

async function stop(why) {
  if (stopping) return
  if (doneAt === undefined) {
    fail(`${why} before this client converged (${count}/${TOTAL} keys seen)`)
  }
  stopping = true
  phase = "shutting down"
  // Bounded: a stuck shutdown must not keep the process alive.
  setTimeout(() => fail("repo shutdown took over 5 s"), 5000).unref()
  try {
    await repo.shutdown()
  } catch (e) {
    log(`repo shutdown failed: ${e?.stack ?? e}`)
    process.exit(1)
  }
  clearTimeout(deadline)
  process.exit(0)
}

async function main() {
  const serverPeer = await connected(repo)

  let handle
  if (creator) {
    phase = "creating document"
    const storageId = repo.peerMetadataByPeerId[serverPeer]?.storageId
    if (!storageId) {
      throw new Error(
        `server peer ${serverPeer} announced no storageId; is it an automerge-repo server with storage?`,
      )
    }
    handle = repo.create({ items: {} })
    // The new document goes to the server on the repo's 100 ms sync
    // throttle. Wait until the server has echoed our heads back before
    // anyone looks it up; otherwise the server answers the others' requests
    // with doc-unavailable (and their handles stay unavailable).
    await serverHas(handle, storageId)
    say(`doc ${handle.url}`)
  } else {
    phase = "finding document"
    handle = await repo.find(args.doc)
  }
  if (typeof handle.doc()?.items !== "object") {
    throw new Error(`document without items map: ${JSON.stringify(handle.doc())}`)
  }

  // Convergence tracking, set up before `ready` so no change can be missed.
  // Every change event (local or remote) carries the patches from the
  // previous to the new state; each key is written once, so a `put` at
  // ["items", key] appears exactly once per key. When the patch count says
  // the document is complete, confirm by counting the keys.
  let resolveDone
  const converged = new Promise(r => (resolveDone = r))
  const finish = () => {
    doneAt = wallMs()
    handle.off("change", onChange)
    clearInterval(safety)
    resolveDone()
  }
  const onChange = ({ doc, patches }) => {
    for (const p of patches) {
      if (p.action === "put" && p.path.length === 2 && p.path[0] === "items") count++
    }
    if (count >= TOTAL && Object.keys(doc.items).length === TOTAL) finish()
  }
  handle.on("change", onChange)
  // Safety net in case a change event were ever missed: an exact key count
  // every 250 ms. Never expected to fire.
  const safety = setInterval(() => {
    if (doneAt === undefined && Object.keys(handle.doc().items).length === TOTAL) {
      log("warning: convergence detected by the 250 ms safety poll, not by a change event")
      finish()
    }
  }, 250)

  phase = "waiting for go"
  say("ready")
  if (commands.length === 0) await new Promise(r => (wakeCommand = r))
  commands.shift()

  phase = "converging"
  const wireBefore = { ...wire }
  const cpuBefore = process.cpuUsage()
  const eluBefore = performance.eventLoopUtilization()
  const t0 = performance.now()
  for (let k = 0; k < K; k++) {
    handle.change(d => {
      d.items[`${I}-${k}`] = k
    })
    await new Promise(r => setImmediate(r))
  }
  const madeMs = performance.now() - t0
  await converged
  const cpu = process.cpuUsage(cpuBefore)
  const elu = performance.eventLoopUtilization(eluBefore)

  // Outside the timed window: check every value.
  const items = handle.doc().items
  for (let c = 0; c < N; c++) {
    for (let k = 0; k < K; k++) {
      if (items[`${c}-${k}`] !== k) {
        throw new Error(`converged with wrong value at ${c}-${k}: ${items[`${c}-${k}`]}`)
      }
    }
  }
  phase = "done, waiting for stop"
  say(`done ${doneAt}`)
  log(
    `made ${K} changes in ${madeMs.toFixed(1)} ms; until converged: sent ` +
      `${wire.sent - wireBefore.sent} msgs (${wire.sentBytes - wireBefore.sentBytes} B payload), ` +
      `received ${wire.recv - wireBefore.recv} msgs (${wire.recvBytes - wireBefore.recvBytes} B ` +
      `payload), used ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ` +
      `event-loop utilization ${elu.utilization.toFixed(2)}`,
  )
}

main().catch(err => fail(err?.stack ?? err))
