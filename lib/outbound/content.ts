// The content of one message as the message store keeps it (lib/messages).
export type { MessageContent, Participant } from "@/lib/messages/message-content";
