package io.txwatch.api;

/** A resource that does not exist, answered 404 with a problem body. */
public class NotFoundProblemException extends RuntimeException {

    public NotFoundProblemException(String message) {
        super(message);
    }
}
