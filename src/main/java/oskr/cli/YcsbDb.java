package oskr.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import oskr.app.FieldNames;
import oskr.app.Fields;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.YcsbOp;
import oskr.app.YcsbResult;
import oskr.core.Bytes;
import oskr.core.ConfigException;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The binding for the real YCSB client (site.ycsb:core): a YCSB {@code DB} whose operations go
 * through one of our protocol clients to the replicated store. YCSB makes one instance per client
 * thread; each runs one protocol client on its own event loop and waits for each result.
 *
 * <p>Properties: {@code oskr.protocol} (a registered protocol, e.g. vr), {@code oskr.config}
 * ({@code deploy/NAME}), {@code oskr.auth} (signature scheme, default secp256k1), {@code
 * oskr.timeout} (seconds one operation may take, default 10). The replicas run an ordered store
 * ({@code -a kv|sqlite|rocksdb}). The table name is ignored: one store holds one table. Command:
 *
 * <pre>
 * java -cp target/oskr.jar site.ycsb.Client -load -db oskr.cli.YcsbDb -P workloads/workloada \
 *     -p oskr.protocol=vr -p oskr.config=deploy/local -threads 4
 * </pre>
 */
public final class YcsbDb extends DB {
  private ClientHost host;
  private final Blocking driver = new Blocking();
  private Duration timeout;

  @Override
  public void init() throws DBException {
    String protocolName = getProperties().getProperty("oskr.protocol", "");
    String deployment = getProperties().getProperty("oskr.config", "");
    try {
      Protocol<?> protocol = Protocols.byName(protocolName);
      Scheme scheme = Scheme.parse(getProperties().getProperty("oskr.auth", "secp256k1"));
      timeout =
          Duration.ofSeconds(Long.parseLong(getProperties().getProperty("oskr.timeout", "10")));
      Deployment loaded = Deployment.load(deployment, protocol);
      host =
          ClientHost.start(
              protocol,
              loaded.config(),
              loaded.clientKeyring(protocol, scheme),
              Options.defaults().withScheme(scheme),
              1,
              1,
              driver);
    } catch (ConfigException | IOException | IllegalArgumentException e) {
      throw new DBException("oskr: " + e.getMessage());
    }
  }

  @Override
  public void cleanup() {
    if (host != null) host.close();
  }

  /** Hands one op at a time to the protocol client and its result back to the waiting thread. */
  private static final class Blocking implements ClientDriver {
    private volatile Bytes pending;
    private volatile CompletableFuture<Bytes> result;

    @Override
    public boolean finished(int client) {
      return pending == null;
    }

    @Override
    public Bytes nextOp(int client) {
      Bytes op = pending;
      pending = null;
      return op;
    }

    @Override
    public void completed(int client, Bytes bytes, Completion completion, long latencyNanos) {
      result.complete(bytes);
    }
  }

  private Optional<Bytes> invoke(Bytes op) {
    CompletableFuture<Bytes> future = new CompletableFuture<>();
    driver.result = future;
    driver.pending = op;
    host.resume(0);
    try {
      return Optional.of(future.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  private Status ycsb(YcsbOp op, Vector<HashMap<String, ByteIterator>> rows) {
    Optional<Bytes> answer = invoke(op.encode());
    if (answer.isEmpty()) return Status.SERVICE_UNAVAILABLE;
    YcsbResult result;
    try {
      result = YcsbResult.decode(answer.get());
    } catch (MalformedMessage e) {
      return Status.UNEXPECTED_STATE;
    }
    for (YcsbResult.Row row : result.rows()) {
      HashMap<String, ByteIterator> fields = new HashMap<>();
      row.fields()
          .values()
          .forEach(
              (name, value) ->
                  fields.put(name.utf8String(), new ByteArrayByteIterator(value.toArray())));
      rows.add(fields);
    }
    return switch (result.status()) {
      case OK -> Status.OK;
      case NOT_FOUND -> Status.NOT_FOUND;
      case STORE_FULL -> Status.ERROR;
    };
  }

  private static FieldNames names(Set<String> fields) {
    if (fields == null) return FieldNames.ALL;
    return new FieldNames(fields.stream().map(Bytes::utf8).toList());
  }

  private static Fields values(Map<String, ByteIterator> values) {
    TreeMap<Bytes, Bytes> fields = new TreeMap<>();
    values.forEach((name, value) -> fields.put(Bytes.utf8(name), Bytes.adopt(value.toArray())));
    return new Fields(fields);
  }

  @Override
  public Status read(
      String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
    Vector<HashMap<String, ByteIterator>> rows = new Vector<>();
    Status status = ycsb(new YcsbOp.Read(Bytes.utf8(key), names(fields)), rows);
    if (!rows.isEmpty()) result.putAll(rows.getFirst());
    return status;
  }

  @Override
  public Status scan(
      String table,
      String startKey,
      int count,
      Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    return ycsb(new YcsbOp.Scan(Bytes.utf8(startKey), count, names(fields)), result);
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return ycsb(new YcsbOp.Update(Bytes.utf8(key), values(values)), new Vector<>());
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    return ycsb(new YcsbOp.Insert(Bytes.utf8(key), values(values)), new Vector<>());
  }

  @Override
  public Status delete(String table, String key) {
    Optional<Bytes> answer = invoke(new KvOp.Delete(Bytes.utf8(key)).encode());
    if (answer.isEmpty()) return Status.SERVICE_UNAVAILABLE;
    try {
      KvResult result = KvResult.decode(answer.get());
      return result instanceof KvResult.DeleteResult deleted && deleted.existed()
          ? Status.OK
          : Status.NOT_FOUND;
    } catch (MalformedMessage e) {
      return Status.UNEXPECTED_STATE;
    }
  }
}
