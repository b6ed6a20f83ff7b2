package dev.radial.common.xmlrpc;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The reference {@link XmlLite} is held to: the JDK's DOM parser (Xerces) configured as the server once read
 * requests with it (DOCTYPEs disallowed, external entities and DTDs off, secure processing, nesting bounded by
 * {@link XmlRpc#MAX_DEPTH}), walked by the same XML-RPC decoder as {@link XmlLite}'s tree.
 */
final class DomOracle {
    private DomOracle() {
    }

    static XmlRpc.MethodCall parseCall(byte[] body) throws XmlRpc.ParseException {
        return XmlRpc.parseCall(TREE, root(body));
    }

    static Object parseResponse(byte[] body) throws XmlRpc.ParseException, XmlRpcFault {
        return XmlRpc.parseResponse(TREE, root(body));
    }

    private static Element root(byte[] body) throws XmlRpc.ParseException {
        DocumentBuilder b;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute("jdk.xml.maxElementDepth", String.valueOf(XmlRpc.MAX_DEPTH));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            b = f.newDocumentBuilder();
            b.setErrorHandler(null);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        try {
            return b.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            throw new XmlRpc.ParseException("malformed XML: " + e.getMessage());
        }
    }

    private static final XmlRpc.Tree<Element> TREE = new XmlRpc.Tree<>() {
        @Override
        public String name(Element e) {
            return e.getTagName();
        }

        @Override
        public List<Element> children(Element parent) {
            List<Element> out = new ArrayList<>();
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public String text(Element e) {
            return e.getTextContent();
        }
    };
}
