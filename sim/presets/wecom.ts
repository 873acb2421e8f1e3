/**
 * The WeCom private deployment ("wwlocal", docs/model.md §1) as a preset: from the seed's load model
 * (users, active ratio, message rate and size, file share and size) and the host counts of the
 * sizing table, it writes the hosts, services and call trees of the scenario core. A scenario file
 * says `preset: wecom`; anything it writes under `hosts`, `services` or `workload` is merged over
 * what the preset generates, so every number here is a default a user can override.
 *
 * Where a number comes from (docs/model.md section, or "assumed" where the seeds are silent):
 * - 30% active, one 1 KB message every 2 s per active user, 10% files of 50 KB (§1 Load estimation)
 * - 28,232 ephemeral ports per access host counted per host, 1,232 of them kept from long connections
 *   for short requests (seed 000: "扣除预留…2.7w"), TIME_WAIT 60 s (§1 Load estimation)
 * - long connections through wwlconn: a logic host down drops its users' connections; reconnects
 *   log in again (`longConnections`; lifetime, reconnect delay and balance assumed, README)
 * - 24 cores, 1000 Mbps NICs, two bonded (§1 Hardware)
 * - disks: one explicit bandwidth, `diskBandwidth` (default 500 MB/s, the seed's figure for more than
 *   10,000 users; its 100 MB/s for smaller sites is what wecom-200.yaml writes). No switch on the
 *   user count, so a sweep over users has no cliff at 10,001 (seed 000 磁盘情况)
 * - wwlfile and its disk on the logic hosts: seed 000 拓扑 puts 临时文件存储/收藏文件存储 on the logic
 *   servers and has the logic nodes watch /home/wwlocal/wwlfilesvr (`fileStore`, default logic)
 * - storage groups of three; xkv writes need two of three (§1 Topology rules), and so do pkv reads
 *   (`readQuorum`, default majority: a Paxos read checks a majority; seed 000 says a group with two
 *   members down fails its storage, reads included)
 * - Svrkit: 3 tries on other machines, shielding, fast reject (§2)
 * - wwlmqasyncsvr writes each hand-off to disk and redelivers failed pushes (`redeliver`; the
 *   policy's values assumed); an online recipient pulls each pushed message (`syncPull`: seed 004's
 *   newsync sizes); sending calls wwlsessionsvr and wwlidallocsvr (`sendPathModules`, seed 000's
 *   module list; their CPU assumed)
 * - CPU costs, timeouts, worker counts, the vendor push latency: assumed (the seeds give none);
 *   chosen so the seed's sizing table is plausible, and documented in the README.
 */
import * as z from "zod"
import type { Preset } from "../scenario/presets.ts"
import type { SchemaIssue } from "../scenario/schema.ts"
import { ByteRate, Duration, Ratio, Size, describeValue } from "../scenario/units.ts"

/** The load-model fields a WeCom scenario may set at its top level, with their defaults. */
export const PresetFields = {
  preset: z.literal("wecom", { error: (iss) => `expected "wecom" (the only preset), got ${describeValue(iss.input)}` })
    .meta({ description: "wecom: generate the WeCom deployment (docs/model.md) from the load model and host counts" }),
  messageInterval: Duration.optional().meta({ description: "mean time between an active user's messages; default 2s" }),
  messageSize: Size.optional().meta({ description: "average message size; default 1KB" }),
  fileRatio: Ratio.optional().meta({ description: "share of messages that carry a file recipients download; default 10%" }),
  fileSize: Size.optional().meta({ description: "size of a file download; default 50KB" }),
  groupRatio: Ratio.optional().meta({ description: "share of messages sent to a group chat; default 0 (one-to-one, as the seed's arithmetic assumes)" }),
  groupSize: z.strictObject({ uniform: z.tuple([z.number().int().min(2), z.number().int().min(2)]) }).optional()
    .meta({ description: "members of a group chat; default { uniform: [3, 20] }" }),
  loginInterval: Duration.optional().meta({ description: "mean time between a user's logins; default 8h" }),
  vendorPushLatency: Duration.optional().meta({ description: "mean latency of APNs/Xiaomi/Huawei push behind ss5; default 300ms" }),
  connection: z.enum(["pooled", "short"]).optional()
    .meta({ description: "client requests through nginx: pooled upstream connections (default) or a short connection each, into TIME_WAIT" }),
  diskBandwidth: ByteRate.optional()
    .meta({ description: "sequential write and random read bandwidth of every disk (logic and storage hosts); default 500MB/s (seed 000: 100MB/s, 500MB/s above 10,000 users)" }),
  fileStore: z.enum(["logic", "storage"]).optional()
    .meta({ description: "where wwlfile and its disk live: logic hosts (default, seed 000 拓扑) or the storage tier" }),
  readQuorum: z.enum(["majority", "one"]).optional()
    .meta({ description: "reads of the Paxos-backed stores (wwlpkv): majority (default) needs 2 of the group's 3 members reachable, so a group with two members down, crashed or partitioned fails its users' logins with -300 (seed 000: 同组两台坏掉会导致存储失败); one: any live member serves" }),
  syncPull: z.boolean().optional()
    .meta({ description: "after a push over the long connection the client pulls the message (newsync: nginx → wwlproxy → wwllogic → wwlsyncsvr → wwlxkv read); default true" }),
  sendPathModules: z.boolean().optional()
    .meta({ description: "sending checks the session (wwllogic → wwlsessionsvr) and allocates a sequence number (wwlchatlogicsvr → wwlidallocsvr); default true" }),
}

const LoadInput = z.strictObject(PresetFields)

type Load = z.output<typeof LoadInput>

const LOAD_KEYS = Object.keys(LoadInput.shape)

type Data = Record<string, unknown>

const isObject = (v: unknown): v is Data => typeof v === "object" && v !== null && !Array.isArray(v)

/** A distribution (`{ exp: 1ms }`, `{ lognormal: … }`) replaces whole: merging two kinds would be invalid. */
const DIST_KEYS = ["const", "exp", "uniform", "lognormal"]
const isDist = (v: Data) => Object.keys(v).some((k) => DIST_KEYS.includes(k))

/** Deep merge for plain data: `over` wins; lists, scalars and distributions replace. */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over) || isDist(over)) return over === undefined ? base : over
  const out: Data = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v)
  return out
}

const count = (hosts: unknown, cls: string): number => {
  const h = isObject(hosts) ? hosts[cls] : undefined
  return isObject(h) && typeof h.count === "number" ? h.count : 0
}

/** The generated part of the scenario, as data with units (as a user would write it). */
function generate(load: Load, data: Data): Data {
  const mixed = count(data.hosts, "storage") === 0
  const storageClass = mixed ? "logic" : "storage"
  const storageHosts = count(data.hosts, storageClass) || 1
  // xkv: two replicas and a parity in a group of three; a lone all-in-one host has only itself.
  const quorum = Math.min(2, storageHosts)
  const readQuorum = load.readQuorum === "one" ? 0 : quorum
  // One hardware figure, not a function of the user count: a sweep over users has no cliff.
  const diskRate = `${(load.diskBandwidth ?? 500e6) / 1e6}MB/s`
  const disk = { write: diskRate, read: diskRate }
  // Files live on the logic hosts (seed 000): they get a disk whether or not storage is separate.
  const fileClass = load.fileStore === "storage" ? storageClass : "logic"
  const messageSize = load.messageSize ?? 1000
  const fileSize = load.fileSize ?? 50_000
  const groupRatio = load.groupRatio ?? 0
  const groupSize = load.groupSize?.uniform ?? [3, 20]
  const syncPull = load.syncPull ?? true
  const sendPathModules = load.sendPathModules ?? true
  const server = { cores: 24, nic: "1000Mbps", bond: 2 }
  const hosts: Data = {
    access: { ...server, count: 1, ports: 28_232, timeWait: "60s" },
    logic: { ...server, count: 3, ...(mixed || fileClass === "logic" ? { disk } : {}) },
    ...(mixed ? {} : { storage: { ...server, count: 3, disk } }),
  }
  const svc = (host: string, workers: number, cpu: string, extra: Data = {}) => ({
    // WeChat's overload control admits by a uin priority, the same at every hop (DAGOR).
    host, workers, cpu: { exp: cpu }, fastReject: { priority: "uin" }, ...extra,
  })
  const services: Data = {
    nginx: svc("access", 20_000, "50us", { fastReject: false }),
    ss5: svc("access", 2_000, "100us"),
    wwlproxy: svc("logic", 4_000, "100us"),
    wwlconn: svc("logic", 4_000, "100us"),
    wwllogic: svc("logic", 2_000, "500us"),
    wwlhttpsvr: svc("logic", 1_000, "300us"),
    wwlauthsvr: svc("logic", 500, "2ms"),
    wwlchatlogicsvr: svc("logic", 2_000, "500us"),
    wwlmqasyncsvr: svc("logic", 1_000, "100us"),
    wwlpush: svc("logic", 1_000, "200us"),
    wwlxkv: svc(storageClass, 500, "200us"),
    wwlpkv: svc(storageClass, 500, "300us"),
    wwlfile: svc(fileClass, 500, "200us"),
    // Not in seed 000's module list by this name: WeChat's is mmsynclogicsvr (seed 004's click stream).
    ...(syncPull ? { wwlsyncsvr: svc("logic", 2_000, "300us") } : {}),
    ...(sendPathModules ? { wwlsessionsvr: svc("logic", 1_000, "200us"), wwlidallocsvr: svc("logic", 1_000, "50us") } : {}),
  }
  const internal = { timeout: "1s", tries: 3 }
  // The push is one synchronous chain from the MQ down, so its callers' timeouts nest: wwlpush
  // waits up to `vendorTimeout` for each try of a vendor push through ss5, wwlmqasyncsvr waits a
  // second longer for wwlpush, and the hand-off a second longer again. With 1 s, as elsewhere, a
  // caller gave up on every vendor push slower than 1 s (3.6% at the default 300 ms mean), sent it
  // again through another wwlpush (a duplicate notification) and counted a healthy wwlpush as
  // failing in its shields; once every wwlpush was shielded the route ignored the shields and sent a
  // third of the pushes to a dead host (the logic-host-down drill's push stall). Assumed values.
  const vendorTimeout = 5
  const pushTimeout = `${vendorTimeout + 1}s`
  const handOffTimeout = `${vendorTimeout + 2}s`
  // The client's own request: one try (the client does not retry), a generous timeout.
  const fromClient = (to: string, request: number, reply: number, calls: Data[]) => ({
    to, route: "user", request: `${request}B`, reply: `${reply}B`, timeout: "10s", tries: 1, calls,
  })
  // nginx → wwlproxy: weighted round-robin, proxy_next_upstream gives it a second try.
  const proxied = (request: number, reply: number, calls: Data[]) => ({
    to: "wwlproxy", route: "round-robin", request: `${request}B`, reply: `${reply}B`, timeout: "5s", tries: 2,
    calls: [{ to: "wwllogic", route: "uin", request: `${request}B`, reply: `${reply}B`, ...internal, calls }],
  })
  const fileDownload = { kind: "file", probability: load.fileRatio ?? 0.1, uin: "same", by: "user" }
  // Notify, then pull: an online client told of a new message fetches it (seed 004's newsync).
  const pull = syncPull ? [{ kind: "sync", uin: "same", by: "user" }] : []
  const session = sendPathModules
    ? [{ to: "wwlsessionsvr", route: "uin", request: "100B", reply: "100B", ...internal }] : []
  const idAlloc = sendPathModules
    ? [{ to: "wwlidallocsvr", route: "uin", request: "100B", reply: "100B", ...internal }] : []
  // seed 004's newsync lines: requests 334–382 B, replies 1,490–7,620 B (mean 3,368 B): the
  // message plus ~2.4 KB of sync keys and headers.
  const syncReply = messageSize + 2_400
  const connection = load.connection ?? "pooled"
  const workload: Data = {
    login: {
      rate: { perUser: `${3600 / (load.loginInterval ?? 8 * 3600)}/h` },
      connection,
      call: fromClient("nginx", 500, 2_000, [proxied(500, 2_000, [
        { to: "wwlauthsvr", route: "uin", request: "500B", reply: "2000B", ...internal,
          calls: [{ to: "wwlpkv", route: "group", request: "500B", reply: "2000B", disk: { read: "2KB" }, readQuorum, ...internal,
            // As for xkv: under the caller's 1 s, so a try to a dead member (silent: it costs the
            // try's whole timeout) leaves time to retry on another member.
            timeout: "500ms" }] },
      ])]),
    },
    sendmsg: {
      rate: { perActiveUser: `${1 / (load.messageInterval ?? 2)}/s` },
      senders: "active",
      connection,
      call: fromClient("nginx", messageSize, 200, [proxied(messageSize, 200, [
        ...session,
        { to: "wwlchatlogicsvr", route: "uin", request: `${messageSize}B`, reply: "200B", ...internal,
          calls: [...idAlloc, { to: "wwlxkv", route: "group", request: `${messageSize}B`, reply: "100B", quorum,
            disk: { write: `${messageSize}B` }, timeout: "500ms", tries: 3 }],
          // The MQ hand-off: one push per recipient, latency measured from the send.
          spawn: [
            { kind: "push", count: 1, uin: "random", clock: "origin" },
            ...(groupRatio > 0
              ? [{ kind: "push", probability: groupRatio, count: { uniform: [groupSize[0] - 1, groupSize[1] - 1] }, uin: "random", clock: "origin" }]
              : []),
          ] },
      ])]),
    },
    push: {
      rate: 0,
      // wwlmqasyncsvr keeps the hand-off on disk: a push that fails waits in its backlog and is
      // redelivered, late rather than lost (the policy's defaults, `REDELIVERY`: assumed).
      redeliver: {},
      call: { to: "wwlmqasyncsvr", route: "uin", request: `${messageSize}B`, reply: "100B", disk: { write: `${messageSize}B` }, ...internal, timeout: handOffTimeout,
        calls: [{ to: "wwlpush", route: "uin", request: `${messageSize}B`, reply: "100B", ...internal, timeout: pushTimeout,
          calls: [
            // Online: over the recipient's long connection (wwlconn), out through its access host.
            { to: "wwlconn", when: "online", route: "connection", request: `${messageSize}B`, reply: "100B", ...internal,
              calls: [{ to: "nginx", route: "user", request: `${messageSize}B`, toClient: `${messageSize}B`, timeout: "1s", tries: 1 }],
              spawn: [...pull, fileDownload] },
            // Offline: a vendor push service, reached through the ss5 proxy on the access hosts.
            { to: "ss5", when: "offline", route: "round-robin", request: `${messageSize}B`, reply: "100B",
              external: { exp: `${(load.vendorPushLatency ?? 0.3) * 1000}ms` }, timeout: `${vendorTimeout}s`, tries: 3,
              spawn: [fileDownload] },
          ] }] },
    },
    ...(syncPull ? {
      sync: {
        rate: 0,
        connection,
        call: fromClient("nginx", 350, syncReply, [proxied(350, syncReply, [
          { to: "wwlsyncsvr", route: "uin", request: "350B", reply: `${syncReply}B`, ...internal,
            calls: [{ to: "wwlxkv", route: "group", request: "100B", reply: `${messageSize}B`, disk: { read: `${messageSize}B` }, timeout: "500ms", tries: 3 }] },
        ])]),
      },
    } : {}),
    file: {
      rate: 0,
      connection,
      call: fromClient("nginx", 500, fileSize, [
        { to: "wwlhttpsvr", route: "round-robin", request: "500B", reply: `${fileSize}B`, timeout: "5s", tries: 2,
          calls: [{ to: "wwlfile", route: "group", request: "500B", reply: `${fileSize}B`, disk: { read: `${fileSize}B` }, ...internal }] },
      ]),
    },
  }
  // Long connections end at wwlconn (a logic host down drops its users' connections) and a
  // reconnect logs in again; lifetime, reconnect delay and balance keep the core's defaults.
  return { access: "access", activeRatio: 0.3, longConnections: { via: "wwlconn", login: "login" }, hosts, services, workload }
}

/**
 * Expands a `preset: wecom` scenario into the scenario core; other data passes through.
 * Returns the expanded data, or the first problem with the preset's own fields.
 *
 * @example
 * const r = expandPreset({ name: "w", preset: "wecom", users: 20000, duration: "5m", hosts: { access: { count: 2 }, logic: { count: 3 } } })
 * r.data.services.wwlxkv.host // "logic": mixed deployment
 */
export function expandPreset(data: unknown): { readonly data: unknown } | { readonly issue: SchemaIssue } {
  if (!isObject(data) || data.preset === undefined) return { data }
  const loadData = Object.fromEntries(Object.entries(data).filter(([k]) => LOAD_KEYS.includes(k)))
  const parsed = LoadInput.safeParse(loadData)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    return { issue: { path: first.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: first.message } }
  }
  return { data: merge(generate(parsed.data, data), data) }
}

/** The preset as the scenario loader registers it (`sim/presets/index.ts`). */
export const wecomPreset: Preset = {
  name: "wecom",
  fields: PresetFields,
  expand: (data) => expandPreset(data) as { readonly data: Data } | { readonly issue: SchemaIssue },
}
