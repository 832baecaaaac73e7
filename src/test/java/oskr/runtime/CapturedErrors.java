package oskr.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The runtime's log, held back from the console while a test plants a failure: the test then
 * asserts the error that an operator would have seen, and the build log stays free of expected
 * stack traces.
 */
final class CapturedErrors implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("oskr.runtime");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final boolean additive;

  CapturedErrors() {
    additive = logger.isAdditive();
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
  }

  /** The messages logged at ERROR so far, formatted. */
  List<String> messages() {
    synchronized (appender) { // AppenderBase.doAppend holds this lock while it adds
      return appender.list.stream()
          .filter(event -> event.getLevel() == Level.ERROR)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }

  @Override
  public void close() {
    logger.setAdditive(additive);
    logger.detachAppender(appender);
    appender.stop();
  }
}
