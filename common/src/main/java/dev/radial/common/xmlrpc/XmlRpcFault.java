package dev.radial.common.xmlrpc;

/**
 * An XML-RPC fault: what a method raises and what a client receives. The fault string follows supervisord:
 * "NAME" or "NAME: detail".
 */
public class XmlRpcFault extends Exception {
    private final int code;
    private final String faultString;

    public XmlRpcFault(int code, String faultString) {
        super(faultString);
        this.code = code;
        this.faultString = faultString;
    }

    public XmlRpcFault(Fault fault) {
        this(fault.code(), fault.name());
    }

    public XmlRpcFault(Fault fault, String detail) {
        this(fault.code(), detail == null || detail.isEmpty() ? fault.name() : fault.name() + ": " + detail);
    }

    public int code() {
        return code;
    }

    public String faultString() {
        return faultString;
    }

    /** The known fault for this code, or null for a code supervisor does not define. */
    public Fault fault() {
        return Fault.fromCode(code);
    }
}
