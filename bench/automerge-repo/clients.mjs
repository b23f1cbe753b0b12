// Load generator for the automerge-repo sync server (server.mjs).
//
// Usage: node clients.mjs --url ws://127.0.0.1:P [--clients N] [--changes K]
//                         [--timeout-ms T] [--interval-ms M]
//   defaults: N=10, K=100, T=120000, M=0
//
// N independent in-memory Repos (no storage), each with its own websocket
// client adapter to --url. Client 0 creates one document { items: {} } and
// waits until the server has acknowledged it; the others find it by URL.
// Then every client concurrently makes K separate one-key changes, yielding
// to the event loop between changes (setImmediate; with --interval-ms M > 0,
// a client instead waits M ms between its changes). The clock stops when
// every client's document holds all N*K keys.
//
// stdout: exactly one JSON line
//   {"clients":N,"changes_per_client":K,"total_changes":N*K,
//    "converge_ms":<float>,"setup_ms":<float>}
// and exit 0. Everything else goes to stderr. T bounds the whole run (setup
// and convergence): past it the process exits 1 with a message on stderr.
// Bad arguments exit 2.

import { parseArgs } from "node:util"
import { performance } from "node:perf_hooks"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { connected, serverHas } from "./sync-waits.mjs"

const log = msg => process.stderr.write(`clients.mjs: ${msg}\n`)
// automerge-repo reports some internal errors with console.log; keep stdout
// for the one JSON result line.
console.log = console.error
console.info = console.error
console.debug = console.error

function usage(msg) {
  log(msg)
  log(
    "usage: node clients.mjs --url ws://HOST:PORT [--clients N] [--changes K] [--timeout-ms T] [--interval-ms M]",
  )
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
      "interval-ms": { type: "string", default: "0" },
    },
    strict: true,
  }).values
} catch (e) {
  usage(e.message)
}

const posInt = (name, s) => {
  const n = Number(s)
  if (!Number.isInteger(n) || n < 1) usage(`--${name} must be a positive integer, got ${s}`)
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
const INTERVAL_MS = Number(args["interval-ms"])
if (!Number.isFinite(INTERVAL_MS) || INTERVAL_MS < 0) {
  usage(`--interval-ms must be a non-negative number, got ${args["interval-ms"]}`)
}
const TOTAL = N * K
const pause =
  INTERVAL_MS > 0
    ? () => new Promise(r => setTimeout(r, INTERVAL_MS))
    : () => new Promise(r => setImmediate(r))

let phase = "connecting"
const progress = () => {
  if (phase === "converging") {
    const counts = clients.map(c => c.count)
    const done = clients.filter(c => c.doneAt !== undefined).length
    return `${done}/${N} clients converged; min keys seen ${Math.min(...counts)}/${TOTAL}`
  }
  if (phase === "connecting") {
    return `${repos.filter(r => r.peers.length > 0).length}/${N} clients connected`
  }
  return ""
}

// One deadline for the whole run. A client adapter that cannot reach the
// server retries quietly forever, so this is what ends an unreachable run.
const deadline = setTimeout(() => {
  log(`TIMEOUT after ${TIMEOUT_MS} ms during ${phase} (${progress()}) url=${args.url}`)
  process.exit(1)
}, TIMEOUT_MS)

// The websocket client adapter rethrows any socket error other than
// ECONNREFUSED from inside an event listener (e.g. ENOTFOUND, or an HTTP
// endpoint that refuses the upgrade). Turn that into a clear failure.
process.on("uncaughtException", err => {
  log(`FAILED during ${phase}: ${err?.message ?? err} (url=${args.url})`)
  process.exit(1)
})
process.on("unhandledRejection", err => {
  log(`FAILED during ${phase}: ${err?.message ?? err} (url=${args.url})`)
  process.exit(1)
})

const repos = []
const clients = []
// Wire counters, reported on stderr only.
const wire = { sent: 0, sentBytes: 0, recv: 0, recvBytes: 0 }

async function main() {
  const setupStart = performance.now()

  for (let i = 0; i < N; i++) {
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
        log(`client ${i}: send failed during ${phase}: ${e.message} (connection dropped)`)
        throw e
      }
    }
    adapter.on("peer-disconnected", () => {
      // A drop mid-run is fatal for the measurement: the adapter waits 5 s
      // before reconnecting, and a send that races the close can leave
      // automerge-repo's DocHandle holding an outdated document (every later
      // change() throws). Fail clearly instead of reporting a bogus time.
      if (phase !== "connecting" && phase !== "shutting down") {
        log(
          `FAILED: client ${i} lost its connection to the server during ${phase} ` +
            `(${progress()}): the server went away, or its websocket keep-alive (5 s by ` +
            `default) dropped a client whose pong was stuck behind a backlog of sync ` +
            `messages (either process CPU-saturated); see the server's stderr`,
        )
        process.exit(1)
      }
    })
    adapter.on("message", message => {
      wire.recv++
      wire.recvBytes += message.data?.byteLength ?? 0
    })
    repos.push(
      new Repo({
        network: [adapter],
        // no storage: in-memory, ephemeral client
      }),
    )
  }
  const serverPeers = await Promise.all(repos.map(connected))

  phase = "creating document"
  const creator = repos[0]
  const serverMeta = creator.peerMetadataByPeerId[serverPeers[0]]
  const storageId = serverMeta?.storageId
  if (!storageId) {
    throw new Error(
      `server peer ${serverPeers[0]} announced no storageId; is it an automerge-repo server with storage?`,
    )
  }
  const first = creator.create({ items: {} })
  // The creator announces the new document to the server (client
  // sharePolicy defaults to true) on the repo's 100 ms sync throttle. Wait
  // until the server has echoed our heads back before anyone looks it up;
  // otherwise the server answers the others' requests with doc-unavailable.
  await serverHas(first, storageId)

  phase = "finding document"
  const handles = [first]
  const found = await Promise.all(repos.slice(1).map(r => r.find(first.url)))
  handles.push(...found)
  for (const h of handles) {
    if (typeof h.doc()?.items !== "object") {
      throw new Error(`client has document without items map: ${JSON.stringify(h.doc())}`)
    }
  }
  const setupMs = performance.now() - setupStart

  // Convergence tracking. Every change event carries the patches from the
  // previous to the new state; each key is written once, so a `put` at
  // ["items", key] appears exactly once per key per client. When the patch
  // count says a client is complete, confirm by counting the keys.
  let remaining = N
  let resolveAll
  const allDone = new Promise(r => (resolveAll = r))
  for (let i = 0; i < N; i++) {
    const handle = handles[i]
    const c = { handle, count: 0, doneAt: undefined }
    clients.push(c)
    const onChange = ({ doc, patches }) => {
      for (const p of patches) {
        if (p.action === "put" && p.path.length === 2 && p.path[0] === "items") c.count++
      }
      if (c.count >= TOTAL && Object.keys(doc.items).length === TOTAL) {
        c.doneAt = performance.now()
        c.count = TOTAL
        handle.off("change", onChange)
        if (--remaining === 0) resolveAll()
      }
    }
    handle.on("change", onChange)
  }
  // Safety net in case a change event were ever missed: an exact key count
  // every 250 ms for clients not yet done. Never expected to fire.
  const safety = setInterval(() => {
    for (const c of clients) {
      if (c.doneAt === undefined && Object.keys(c.handle.doc().items).length === TOTAL) {
        log("warning: convergence detected by the 250 ms safety poll, not by a change event")
        c.doneAt = performance.now()
        if (--remaining === 0) resolveAll()
      }
    }
  }, 250)

  phase = "converging"
  const wireBefore = { ...wire }
  const cpuBefore = process.cpuUsage()
  const eluBefore = performance.eventLoopUtilization()
  const t0 = performance.now()
  await Promise.all(
    handles.map(async (handle, client) => {
      for (let k = 0; k < K; k++) {
        handle.change(d => {
          d.items[`${client}-${k}`] = k
        })
        await pause()
      }
    }),
  )
  log(`all ${TOTAL} changes made locally after ${(performance.now() - t0).toFixed(1)} ms`)
  await allDone
  const t1 = Math.max(...clients.map(c => c.doneAt))
  clearInterval(safety)
  const cpu = process.cpuUsage(cpuBefore)
  const elu = performance.eventLoopUtilization(eluBefore)

  // Outside the timed window: check every client holds every value.
  for (let i = 0; i < N; i++) {
    const items = handles[i].doc().items
    for (let c = 0; c < N; c++) {
      for (let k = 0; k < K; k++) {
        if (items[`${c}-${k}`] !== k) {
          throw new Error(`client ${i} converged with wrong value at ${c}-${k}: ${items[`${c}-${k}`]}`)
        }
      }
    }
  }
  phase = "shutting down"
  log(
    `during convergence: clients sent ${wire.sent - wireBefore.sent} msgs ` +
      `(${wire.sentBytes - wireBefore.sentBytes} B payload), received ` +
      `${wire.recv - wireBefore.recv} msgs (${wire.recvBytes - wireBefore.recvBytes} B payload); ` +
      `this process used ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ` +
      `event-loop utilization ${elu.utilization.toFixed(2)}`,
  )

  const result = {
    clients: N,
    changes_per_client: K,
    total_changes: TOTAL,
    converge_ms: Number((t1 - t0).toFixed(3)),
    setup_ms: Number(setupMs.toFixed(3)),
  }

  await Promise.all(repos.map(r => r.shutdown()))
  clearTimeout(deadline)
  process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0))
}

main().catch(err => {
  log(`FAILED during ${phase}: ${err?.stack ?? err} (url=${args.url})`)
  process.exit(1)
})
