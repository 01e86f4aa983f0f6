package com.orgkeys.application.membership.port.in;

import com.orgkeys.domain.account.UserId;
import com.orgkeys.domain.caller.Caller;
import com.orgkeys.domain.membership.Member;
import com.orgkeys.domain.shared.Page;
import com.orgkeys.domain.shared.PageRequest;

import java.util.List;
import java.util.Set;

/** The members of the caller's organization. The last admin can be neither demoted nor removed. */
public interface ManageMembersUseCase {
    Page<Member> listMembers(Caller caller, PageRequest page);

    /** The members whose role is one of {@code roles} (role keys; every member when empty). */
    Page<Member> listMembers(Caller caller, Set<String> roles, PageRequest page);

    /**
     * Makes an existing user a member with {@code role} directly, without an invitation (the backend API's way).
     * Needs {@code org:sys_memberships:manage} and the right to give that role; 404 for no such user, 409 when
     * they are a member already.
     */
    Member addMember(Caller caller, UserId userId, String role);

    /**
     * Those of {@code userIds} who are members now (at most {@link PageRequest#MAX_PAGE_SIZE} ids), e.g. to
     * name who made the things on one page of a list, however many members there are.
     */
    List<Member> findMembers(Caller caller, Set<UserId> userIds);

    Member changeRole(Caller caller, UserId userId, String role);

    /** Needs {@code org:sys_memberships:manage}, except for removing oneself. */
    void removeMember(Caller caller, UserId userId);
}
